// Before anything else is loaded (see the file for why), then the server: loaded by a dynamic import, so the
// tick object is taken before any other module runs.
import './keep-tick-objects-fast.js';

// The process entry point (dist/main.js). Importing server.ts has no side effects; this file is the one that runs.
const { runServer } = await import('./server.js');
await runServer(process.argv.slice(2));
