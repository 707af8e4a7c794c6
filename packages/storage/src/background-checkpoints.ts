import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type { StorageLogger } from './database.js';

/** How often the worker copies the WAL back into the database file. */
export const CHECKPOINT_INTERVAL_MS = 50;
/**
 * The request connection's own auto-checkpoint threshold while the worker runs, in WAL pages (4 KB each).
 * A PASSIVE checkpoint never restarts the WAL while writes keep arriving, so without this backstop a
 * sustained load would grow the file without end; with it, the writer checkpoints the few pages the worker
 * has not copied yet every ~80 MB and the next write starts the WAL over.
 *
 * Each of those checkpoints stalls the writer for two or three fsyncs (5–20 ms on this machine's disk), and
 * every request queued behind it waits too: at 4,000 pages the API bench's bets met one every ~700 bets, and
 * one was under 96 % of the slowest 2 % of requests. At 20,000 pages they come five times less often.
 * With lighter writes the worker keeps up, the WAL starts over at the next write, and it stays small.
 */
export const BACKSTOP_AUTOCHECKPOINT_PAGES = 20_000;
/** SQLite's default, restored when the worker cannot run. */
const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;

// CommonJS, run with `eval`: no file to locate next to the bundled dist. It opens its own connection to the
// same file and runs PASSIVE checkpoints, which never take the write lock, so writers never wait for it.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true, timeout: 0 });
setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
}, workerData.intervalMs);
`;

/** Stops the worker; the connection it holds is closed with its thread. */
export type StopCheckpoints = () => void;

/**
 * Moves the WAL checkpoints of a long-running writer (the API, the bot) off its event loop.
 *
 * With SQLite's default, the connection that commits the 1000th WAL page copies the WAL into the database
 * and fsyncs both files before its call returns: about every 40 bets, one request waits for two fsyncs,
 * and every request queued behind it too (better-sqlite3 is synchronous). Here a worker thread does that
 * work. Durability is unchanged: `synchronous = NORMAL` in WAL mode (see openDatabase) writes every commit
 * to the WAL before answering, and a checkpoint only copies committed pages; which thread copies them does
 * not matter to what survives a crash.
 */
export function startBackgroundCheckpoints(
  sqlite: Database.Database,
  path: string,
  logger: StorageLogger | undefined,
): StopCheckpoints {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { driver, path, intervalMs: CHECKPOINT_INTERVAL_MS },
  });
  // A helper thread must never keep a process alive.
  worker.unref();
  sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_AUTOCHECKPOINT_PAGES}`);
  let stopped = false;
  worker.once('error', (error) => {
    if (stopped) return;
    logger?.warn({ err: error, path }, 'background checkpoints stopped; the writer checkpoints again');
    if (sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
  });
  return () => {
    stopped = true;
    void worker.terminate();
  };
}
