import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { CoachwireDatabase } from './database.js';
import { driverError, storageUnavailable } from './storage-errors.js';

/** The committed drizzle-kit migrations; one level up from both src/ and dist/. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../drizzle', import.meta.url));

const MIGRATIONS_TABLE = '__drizzle_migrations';
const MAX_ATTEMPTS = 8;

export interface MigrationResult {
  /** Migrations this call applied (0 when the file was already up to date or another process did it). */
  readonly applied: number;
  readonly total: number;
}

function totalChanges(handle: CoachwireDatabase): number {
  return (handle.sqlite.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
}

function appliedCount(handle: CoachwireDatabase): number {
  const table = handle.sqlite
    .prepare('SELECT 1 FROM sqlite_schema WHERE type = ? AND name = ?')
    .get('table', MIGRATIONS_TABLE);
  if (!table) return 0;
  const row = handle.sqlite.prepare(`SELECT count(*) AS n FROM ${MIGRATIONS_TABLE}`).get() as { n: number };
  return row.n;
}

function rollbackIfOpen(handle: CoachwireDatabase): void {
  try {
    if (handle.sqlite.inTransaction) handle.sqlite.exec('ROLLBACK');
  } catch {
    // The connection is unusable; the next attempt reports why.
  }
}

/**
 * Brings the schema up to date with the committed migrations.
 *
 * The bot and the API both call this at start, possibly at the same moment. drizzle's migrator reads the
 * last applied migration before it opens its transaction, so the slower process can find the tables already
 * created (or its snapshot stale, SQLITE_BUSY). Such a failure rolls back cleanly; retrying re-reads the
 * migrations table, which then says there is nothing left to do. A migration that is itself broken fails
 * the same way every time and is reported after the last attempt.
 */
export async function migrateDatabase(handle: CoachwireDatabase): Promise<MigrationResult> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    try {
      // The migrator's only row writes are one insert into its table per migration it applies, so this
      // connection's change counter says how many this call applied, even when the other process raced it.
      const before = totalChanges(handle);
      migrate(handle.db, { migrationsFolder: MIGRATIONS_FOLDER, migrationsTable: MIGRATIONS_TABLE });
      const applied = totalChanges(handle) - before;
      if (applied > 0) handle.logger?.info({ path: handle.path, applied }, 'migrations applied');
      return { applied, total: appliedCount(handle) };
    } catch (error) {
      lastError = error;
      rollbackIfOpen(handle);
      if (attempt === MAX_ATTEMPTS) break;
      handle.logger?.warn(
        { path: handle.path, attempt, reason: driverError(error)?.message },
        'migration attempt failed; retrying',
      );
      // Jitter keeps two processes that failed together from colliding again.
      await delay(20 * attempt + Math.floor(Math.random() * 20));
    }
  }
  throw storageUnavailable(handle.path, 'migrate', lastError);
}
