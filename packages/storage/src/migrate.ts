import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { CoachwireDatabase } from './database.js';
import { driverError, SchemaTooNewError, storageUnavailable, toCoachwireError } from './storage-errors.js';

/** The committed drizzle-kit migrations; one level up from both src/ and dist/. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../drizzle', import.meta.url));

/** Where drizzle records the migrations applied to a SQLite file. */
export const MIGRATIONS_TABLE = '__drizzle_migrations';
const MAX_ATTEMPTS = 8;

export interface MigrationResult {
  /** Migrations this call applied (0 when the file was already up to date or another process did it). */
  readonly applied: number;
  readonly total: number;
}

/**
 * Counts the migration rows this connection inserts. A TEMP trigger fires only for its own connection, so the
 * count is right even when the other process migrates at the same moment, and data-moving statements inside
 * a migration (which change rows too) do not inflate it. The table is created first, with the DDL drizzle's
 * migrator uses, so the trigger has something to attach to.
 */
function countOwnInserts(handle: CoachwireDatabase): () => number {
  const { sqlite } = handle;
  sqlite.exec(
    `CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`,
  );
  sqlite.exec('CREATE TEMP TABLE IF NOT EXISTS coachwire_migrations_applied (n integer NOT NULL)');
  sqlite.exec('DELETE FROM temp.coachwire_migrations_applied');
  sqlite.exec(
    `CREATE TEMP TRIGGER IF NOT EXISTS coachwire_count_migrations AFTER INSERT ON main."${MIGRATIONS_TABLE}"
     BEGIN INSERT INTO temp.coachwire_migrations_applied (n) VALUES (1); END`,
  );
  return () =>
    (sqlite.prepare('SELECT count(*) AS n FROM temp.coachwire_migrations_applied').get() as { n: number }).n;
}

/** The committed migrations of a folder: how many, and the newest one's time (drizzle's `created_at` for it). */
export function committedMigrations(folder: string): { readonly total: number; readonly newest: number } {
  const journal = JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')) as {
    entries: { when: number }[];
  };
  return {
    total: journal.entries.length,
    newest: Math.max(0, ...journal.entries.map((entry) => entry.when)),
  };
}

/**
 * Refuses a file a newer release has migrated. drizzle's migrator applies the migrations newer than the last
 * one recorded, so on such a file it would do nothing and report success.
 */
function refuseNewerSchema(handle: CoachwireDatabase): void {
  const table = handle.sqlite
    .prepare('SELECT 1 FROM sqlite_schema WHERE type = ? AND name = ?')
    .get('table', MIGRATIONS_TABLE);
  if (!table) return;
  const { newest } = committedMigrations(MIGRATIONS_FOLDER);
  const row = handle.sqlite
    .prepare(`SELECT count(*) AS n FROM ${MIGRATIONS_TABLE} WHERE created_at > ?`)
    .get(newest) as { n: number };
  if (row.n > 0) throw new SchemaTooNewError(handle.path, row.n);
}

function appliedCount(handle: CoachwireDatabase): number {
  const table = handle.sqlite
    .prepare('SELECT 1 FROM sqlite_schema WHERE type = ? AND name = ?')
    .get('table', MIGRATIONS_TABLE);
  if (!table) return 0;
  const row = handle.sqlite.prepare(`SELECT count(*) AS n FROM ${MIGRATIONS_TABLE}`).get() as { n: number };
  return row.n;
}

/**
 * How many of the committed migrations the file has (none for an empty file or one never migrated), read
 * without changing anything: for commands that must not run on a schema that is missing or older. A file a
 * newer release migrated is refused (SchemaTooNewError).
 */
export function sqliteMigrationState(handle: CoachwireDatabase): MigrationResult {
  const { total } = committedMigrations(MIGRATIONS_FOLDER);
  try {
    refuseNewerSchema(handle);
    return { applied: appliedCount(handle), total };
  } catch (error) {
    // A damaged file fails here first (its schema page is read): a storage error, with its driver code.
    throw toCoachwireError(handle.path, 'read', error);
  }
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
 * the same way every time and is reported after the last attempt. A file a newer release migrated is refused
 * (SchemaTooNewError) and left as it was.
 */
export async function migrateDatabase(handle: CoachwireDatabase): Promise<MigrationResult> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    try {
      refuseNewerSchema(handle);
      const appliedHere = countOwnInserts(handle);
      migrate(handle.db, { migrationsFolder: MIGRATIONS_FOLDER, migrationsTable: MIGRATIONS_TABLE });
      const applied = appliedHere();
      if (applied > 0) handle.logger?.info({ path: handle.path, applied }, 'migrations applied');
      return { applied, total: appliedCount(handle) };
    } catch (error) {
      if (error instanceof SchemaTooNewError) throw error;
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
