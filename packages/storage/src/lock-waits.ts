import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import { BUSY_TIMEOUT_MS, type CoachwireDatabase } from './database.js';
import { driverErrorCode } from './storage-errors.js';

/**
 * The longest SQLite's busy handler blocks at a time in a process that serves while it writes (the API, the
 * bot). The handler sleeps on the process's only thread: with the full BUSY_TIMEOUT_MS, one write queued behind
 * another process's long transaction (an import, a backup tool, an open `sqlite3` shell) froze the API for up to
 * five seconds, health checks, reads and event streams included, and each further write froze it again.
 */
export const BUSY_SLICE_MS = 20;

/** The longest pause between two attempts at a write while another connection holds the lock. */
const MAX_PAUSE_MS = 50;

/**
 * From here on, the connection's busy handler waits at most BUSY_SLICE_MS; `writeWhenUnlocked` keeps trying for
 * the rest of BUSY_TIMEOUT_MS with the event loop free between attempts. For processes that serve while they
 * write, after their migrations (which run before they serve, and wait the whole timeout at once).
 */
export function waitForLocksInSlices(database: CoachwireDatabase): void {
  database.sqlite.pragma(`busy_timeout = ${BUSY_SLICE_MS}`);
  slicedConnections.add(database.sqlite);
}

const slicedConnections = new WeakSet<Database.Database>();

/** True once `waitForLocksInSlices` applies: a failed attempt then waited BUSY_SLICE_MS, not the whole timeout. */
export function waitsInSlices(database: Pick<CoachwireDatabase, 'sqlite'>): boolean {
  return slicedConnections.has(database.sqlite);
}

/** When a write asked for now stops waiting for another connection's lock (a `performance.now()` time). */
export function lockWaitDeadline(): number {
  return performance.now() + BUSY_TIMEOUT_MS;
}

/** True when a write with this deadline has waited its time (see writeWhenUnlocked). */
export function lockWaitExpired(deadline: number): boolean {
  return performance.now() + 1 >= deadline;
}

/** True for SQLITE_BUSY and its extended codes: another connection holds the lock the statement needs. */
export function isDatabaseBusy(error: unknown): boolean {
  return driverErrorCode(error)?.startsWith('SQLITE_BUSY') === true;
}

/** The writes of one connection that wait for another connection's lock, in the order they were asked for. */
interface WriteQueue {
  /** How many writes are waiting (for the lock, or for the writes before them). */
  waiting: number;
  /** Settles once the last of them has landed or failed. */
  tail: Promise<void>;
}

const queues = new WeakMap<Database.Database, WriteQueue>();

const settle = () => {};

/**
 * Runs `write`, and again after a pause each time it fails because another connection holds the write lock,
 * until BUSY_TIMEOUT_MS have passed in all; then, or on any other failure, rejects with its error. `write` must
 * be one statement or one transaction, so a failed attempt has changed nothing. The first attempt runs at once
 * (synchronously), so an uncontended write costs what it did. On a connection that still has the full busy
 * timeout, the first attempt has waited it all and its failure is final.
 *
 * The writes of one connection land in the order they were asked for, as when each waited in SQLite's busy
 * handler: while one waits for the lock, a write asked for after it waits behind it (from when it was asked,
 * for the same BUSY_TIMEOUT_MS), instead of taking the lock the moment it is freed and landing first (a plan's
 * older edit, or a member's older name, would then overwrite the newer one).
 *
 * `options.deadline` (from lockWaitDeadline) is for a write that was asked for earlier and waited elsewhere
 * first (the ledger's operations wait for the group before theirs): it stops waiting then, not BUSY_TIMEOUT_MS
 * from this call.
 */
export function writeWhenUnlocked<T>(
  database: Pick<CoachwireDatabase, 'sqlite'>,
  write: () => T,
  options: { readonly deadline?: number } = {},
): Promise<T> {
  const deadline = options.deadline ?? lockWaitDeadline();
  let queue = queues.get(database.sqlite);
  if (queue === undefined) {
    queue = { waiting: 0, tail: Promise.resolve() };
    queues.set(database.sqlite, queue);
  }
  if (queue.waiting > 0) return waitInLine(queue, write, deadline, 0);
  try {
    return Promise.resolve(write());
  } catch (error) {
    if (!isDatabaseBusy(error) || lockWaitExpired(deadline)) return Promise.reject(error);
  }
  return waitInLine(queue, write, deadline, 1);
}

/** Queues `write` behind the connection's waiting writes; `pause` before its next attempt (0: none made yet). */
function waitInLine<T>(queue: WriteQueue, write: () => T, deadline: number, pause: number): Promise<T> {
  const ahead = queue.tail;
  queue.waiting += 1;
  const attempts = (async () => {
    try {
      // Its own deadline holds in the line too: behind a write asked for later (a plan edit queued while the
      // ledger's next group waited for the one before), it would otherwise wait out that write's time as well.
      if (!(await settlesBefore(ahead, deadline))) throw lockStillHeld();
      // A turn of the event loop between two queued writes: each attempt may hold the thread BUSY_SLICE_MS.
      if (pause === 0) await new Promise((resolve) => setImmediate(resolve));
      return await attemptUntil(write, deadline, pause);
    } finally {
      queue.waiting -= 1;
    }
  })();
  // The next write waits for the ones ahead of this one too: this one may give up before they are done.
  queue.tail = Promise.all([ahead, attempts.then(settle, settle)]).then(settle);
  return attempts;
}

/** True once `promise` settles, false if `deadline` (a `performance.now()` time) comes first. */
async function settlesBefore(promise: Promise<void>, deadline: number): Promise<boolean> {
  const timer = new AbortController();
  const expired = delay(Math.max(0, deadline - performance.now()), false, { signal: timer.signal }).catch(
    () => true,
  );
  try {
    return await Promise.race([promise.then(() => true), expired]);
  } finally {
    timer.abort();
  }
}

/**
 * The failure of a write whose time ran out while the writes before it still waited for the lock: the lock is
 * held, as its own attempt would have found (it makes none, which could land it before them).
 */
function lockStillHeld(): Error {
  return Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
}

async function attemptUntil<T>(write: () => T, deadline: number, firstPause: number): Promise<T> {
  for (let pause = firstPause; ; ) {
    if (pause > 0) await delay(pause);
    try {
      return write();
    } catch (error) {
      pause = Math.min(Math.max(pause * 2, 1), MAX_PAUSE_MS);
      if (!isDatabaseBusy(error) || performance.now() + pause >= deadline) throw error;
    }
  }
}
