import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type { StorageLogger } from './database.js';

/** How often the worker copies the WAL back into the database file while writes arrive and the WAL is small. */
export const CHECKPOINT_INTERVAL_MS = 50;
/**
 * The longest wait between passes while nothing is written. Each pass that finds the WAL as the pass before
 * left it (no commit since, every frame copied) doubles the wait up to this; the first pass that finds a
 * commit goes back to CHECKPOINT_INTERVAL_MS. An idle API or bot then wakes this thread about once a second
 * instead of 20 times (an idle API used 6 ms of CPU per second in it), and after a quiet spell the first
 * writes wait at most this long to be copied, far below the writer's backstop.
 */
export const IDLE_CHECKPOINT_INTERVAL_MS = 1000;
/**
 * Past this many WAL pages (4 KB each) the worker catches up: while writes keep arriving it starts its next
 * pass as soon as one ends, instead of after CHECKPOINT_INTERVAL_MS.
 *
 * SQLite starts the WAL over only when a write transaction begins after a checkpoint has copied every frame.
 * A pass every 50 ms under steady writes never gets there: it copies what was in the WAL when it began, and
 * the commits made during its fsyncs are left for the next one. The WAL then grows to the writer's backstop
 * below, whose checkpoint stalls the event loop. Passes back to back each have only the frames committed
 * during the one before to copy, and soon one ends between two commits; the writer's next transaction starts
 * the WAL over. In the API bench's bets (32 connections, builds alternated in separate runs) the p99 went from
 * 21–28 ms to 16–24 ms, 3–4 ms lower in each round.
 */
export const CATCH_UP_PAGES = 4000;
/**
 * The request connection's own auto-checkpoint threshold while the worker runs, in WAL pages. A backstop for
 * when the worker cannot catch up (a disk whose fsyncs are slower than the gaps between commits, a reader
 * holding an old snapshot): the writer then checkpoints the few pages the worker has not copied yet every
 * ~80 MB, and the next write starts the WAL over. Each of those checkpoints stalls the writer for two or three
 * fsyncs (5–20 ms on this machine's disk), and every request queued behind it waits too.
 */
export const BACKSTOP_AUTOCHECKPOINT_PAGES = 20_000;
/** SQLite's default, restored when the worker cannot run. */
const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;

/** What a `wal_checkpoint` pass reports: frames in the WAL, and how many of them are in the database file. */
export interface CheckpointPass {
  /** -1 when another connection's checkpoint was running. */
  readonly log: number;
  readonly checkpointed: number;
}

/**
 * How long the worker waits before its next pass: no time at all while it is catching up (a large WAL that
 * grew since the pass before, every frame of which the last pass copied); twice its last wait, up to
 * IDLE_CHECKPOINT_INTERVAL_MS, while nothing is written (the WAL as the pass before left it, every frame
 * copied); CHECKPOINT_INTERVAL_MS otherwise. When nothing was committed since the pass before, the WAL starts
 * over at the next write anyway; when a reader kept frames from being copied, passes back to back would copy
 * nothing and only spin.
 *
 * The worker runs this function from its source text (below), so it uses nothing outside its own body.
 */
export function nextCheckpointDelay(
  pass: CheckpointPass,
  previousLog: number,
  previousDelay: number,
  intervals: { readonly busyMs: number; readonly idleMs: number; readonly catchUpPages: number },
): number {
  const copiedAll = pass.log >= 0 && pass.checkpointed === pass.log;
  if (copiedAll && pass.log >= intervals.catchUpPages && pass.log !== previousLog) return 0;
  if (copiedAll && pass.log === previousLog) {
    return Math.min(Math.max(previousDelay, intervals.busyMs) * 2, intervals.idleMs);
  }
  return intervals.busyMs;
}

// CommonJS, run with `eval`: no file to locate next to the bundled dist. It opens its own connection to the
// same file and runs PASSIVE checkpoints, which never take the write lock, so writers never wait for it.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const nextCheckpointDelay = ${nextCheckpointDelay.toString()};
const db = new Database(workerData.path, { fileMustExist: true, timeout: 0 });
let previousLog = -1;
let delay = workerData.intervals.busyMs;
const pass = () => {
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    delay = nextCheckpointDelay(result, previousLog, delay, workerData.intervals);
    previousLog = result.log;
  } catch {
    delay = workerData.intervals.busyMs;
  }
  setTimeout(pass, delay);
};
setTimeout(pass, delay);
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
    workerData: {
      driver,
      path,
      intervals: {
        busyMs: CHECKPOINT_INTERVAL_MS,
        idleMs: IDLE_CHECKPOINT_INTERVAL_MS,
        catchUpPages: CATCH_UP_PAGES,
      },
    },
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
