import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
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
}

/** True for SQLITE_BUSY and its extended codes: another connection holds the lock the statement needs. */
export function isDatabaseBusy(error: unknown): boolean {
  return driverErrorCode(error)?.startsWith('SQLITE_BUSY') === true;
}

/**
 * Runs `write`, and again after a pause each time it fails because another connection holds the write lock,
 * until BUSY_TIMEOUT_MS have passed in all; then, or on any other failure, rejects with its error. `write` must
 * be one statement or one transaction, so a failed attempt has changed nothing. The first attempt runs at once
 * (synchronously), so an uncontended write costs what it did. On a connection that still has the full busy
 * timeout, the first attempt has waited it all and its failure is final.
 */
export async function writeWhenUnlocked<T>(write: () => T): Promise<T> {
  const deadline = performance.now() + BUSY_TIMEOUT_MS;
  for (let pause = 1; ; pause = Math.min(pause * 2, MAX_PAUSE_MS)) {
    try {
      return write();
    } catch (error) {
      if (!isDatabaseBusy(error) || performance.now() + pause >= deadline) throw error;
    }
    await delay(pause);
  }
}
