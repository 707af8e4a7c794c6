import { runServer } from './server.js';

// The process entry point (dist/main.js). Importing server.ts has no side effects; this file is the one that runs.
await runServer(process.argv.slice(2));
