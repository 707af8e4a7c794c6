import { runServer } from '../server.js';

// The API process exactly as main.ts runs it, except that its timed event poll comes once an hour: what
// another instance writes can then reach this one's SSE clients within a test only through LISTEN/NOTIFY.
await runServer(process.argv.slice(2), process.env, { eventPollIntervalMs: 3_600_000 });
