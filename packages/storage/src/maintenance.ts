import { renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { StorageUnavailableError } from '@coachwire/core';
import Database from 'better-sqlite3';
import { BUSY_TIMEOUT_MS, type CoachwireDatabase, ensureDirectory, openDatabase } from './database.js';
import { storageUnavailable, toCoachwireError } from './storage-errors.js';
import { textNotUtf8 } from './text-not-utf8.js';

/** Checks that the database answers a query; throws STORAGE_UNAVAILABLE if it does not. */
export function pingDatabase(handle: CoachwireDatabase): void {
  try {
    handle.sqlite.prepare('SELECT 1').get();
  } catch (error) {
    throw storageUnavailable(handle.path, 'read', error);
  }
}

/** Number of plans stored: live ones, or every row with `includeDeleted`. */
export function countPlans(handle: CoachwireDatabase, options: { includeDeleted?: boolean } = {}): number {
  try {
    const query = options.includeDeleted
      ? 'SELECT count(*) AS n FROM plans'
      : 'SELECT count(*) AS n FROM plans WHERE deleted_at IS NULL';
    return (handle.sqlite.prepare(query).get() as { n: number }).n;
  } catch (error) {
    throw toCoachwireError(handle.path, 'read', error);
  }
}

/**
 * Copies the database to `destPath` with SQLite's online backup, which is consistent while the bot and the
 * API keep writing. Resolves with the number of pages copied.
 *
 * The copy is left as one self-contained file in rollback-journal mode. The backup copies the source's
 * header, which marks the file as WAL, and any later connection to a WAL file creates `-wal` and `-shm`
 * beside it; a read-only one (a check of the copy, a user's `sqlite3 -readonly`) cannot remove them on
 * close. The apps switch a restored copy back to WAL when they open it.
 */
export async function backupDatabase<T = undefined>(
  handle: CoachwireDatabase,
  destPath: string,
  /**
   * Run on the finished copy (opened read-only) before it is moved to `destPath`: what it returns comes back
   * as `checked`, and what it throws is thrown as it is, with the copy removed, so a copy that fails its check
   * never appears under the backup's name.
   */
  check?: (copy: CoachwireDatabase) => T,
): Promise<{ pages: number; checked: T | undefined }> {
  let checkFailure: { error: unknown } | undefined;
  try {
    ensureDirectory(dirname(destPath));
    return await writeCompleteFile(destPath, async (partialPath) => {
      // Copy everything after the first step in one step: SQLite documents that an online backup restarts
      // when another connection writes between steps, so small steps could let a busy writer delay it
      // indefinitely.
      const result = await handle.sqlite.backup(partialPath, { progress: () => 0x7fffffff });
      leaveWalMode(partialPath);
      if (check === undefined) return { pages: result.totalPages, checked: undefined };
      const copy = openDatabase({ path: partialPath, readonly: true });
      try {
        return { pages: result.totalPages, checked: check(copy) };
      } catch (error) {
        checkFailure = { error };
        throw error;
      } finally {
        copy.close();
      }
    });
  } catch (error) {
    if (checkFailure !== undefined) throw checkFailure.error;
    throw new StorageUnavailableError(
      `Cannot back up the database at ${handle.path} to ${destPath}: ${(error as Error).message}`,
      error,
    );
  }
}

/**
 * Has `write` write a file at a path beside `destPath` (`<destPath>.partial-<pid>`), and moves it to
 * `destPath` only once `write` has succeeded. A copy that fails is removed, with the journal files SQLite
 * keeps beside a database; one whose process is killed stays under the `.partial-` name. Either way nothing
 * appears under `destPath` that a later restore would take for a whole copy.
 */
export async function writeCompleteFile<T>(
  destPath: string,
  write: (partialPath: string) => Promise<T>,
): Promise<T> {
  const partialPath = `${destPath}.partial-${process.pid}`;
  try {
    const result = await write(partialPath);
    renameSync(partialPath, destPath);
    return result;
  } catch (error) {
    for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(partialPath + suffix, { force: true });
    throw error;
  }
}

/**
 * Rewrites the copy's header to rollback-journal mode. Only this connection has the new file open, so the
 * switch succeeds at once; leaving WAL mode checkpoints and deletes `-wal`, and the last close deletes `-shm`.
 */
function leaveWalMode(path: string): void {
  const copy = new Database(path, { fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  try {
    const mode = copy.pragma('journal_mode = DELETE', { simple: true });
    if (mode !== 'delete') throw new Error(`the copy stayed in journal mode ${String(mode)}`);
  } finally {
    copy.close();
  }
}

export interface IntegrityReport {
  /** True when SQLite's integrity and foreign-key checks found nothing. */
  readonly ok: boolean;
  readonly messages: string[];
  readonly counts: { plans: number; charts: number; revisions: number; events: number };
}

/**
 * Runs `PRAGMA integrity_check` and `foreign_key_check`, finds text that is not valid UTF-8, and counts the
 * rows of each table.
 */
export function integrityCheck(handle: CoachwireDatabase): IntegrityReport {
  try {
    const integrity = handle.sqlite.pragma('integrity_check') as { integrity_check: string }[];
    const messages = integrity.map((row) => row.integrity_check).filter((message) => message !== 'ok');
    const orphans = handle.sqlite.pragma('foreign_key_check') as {
      table: string;
      rowid: number;
      parent: string;
    }[];
    for (const orphan of orphans) {
      messages.push(`${orphan.table} row ${orphan.rowid} refers to a missing ${orphan.parent} row`);
    }
    messages.push(...invalidUtf8Text(handle));
    const count = (table: string) =>
      (handle.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    // A database an older release last migrated (backed up before `db migrate`) may predate migration 0002,
    // which renamed `plan_events` (plan events only) to `events`.
    const eventLog = handle.sqlite
      .prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'events'")
      .get()
      ? "events WHERE domain = 'plan'"
      : 'plan_events';
    return {
      ok: messages.length === 0,
      messages,
      counts: {
        plans: count('plans'),
        charts: count('charts'),
        revisions: count('plan_revisions'),
        events: count(eventLog),
      },
    };
  } catch (error) {
    throw toCoachwireError(handle.path, 'check', error);
  }
}

/** Most rows named per column; a column broken everywhere is summarised, not listed row by row. */
const MAX_ROWS_LISTED = 20;

/**
 * Text values whose stored bytes are not UTF-8 (an unpaired surrogate written by an old version is stored
 * as ED A0 BD, which other SQLite clients cannot decode).
 */
function invalidUtf8Text(handle: CoachwireDatabase): string[] {
  const messages: string[] = [];
  const tables = handle.sqlite
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .all() as { name: string }[];
  for (const { name: table } of tables) {
    const columns = handle.sqlite.pragma(`table_info("${table}")`) as { name: string; type: string }[];
    for (const { name: column, type } of columns) {
      if (!/TEXT|CHAR|CLOB|^$/i.test(type)) continue;
      const bad = textNotUtf8(handle.sqlite, table, column).map((row) => row.rowid);
      if (bad.length === 0) continue;
      const listed = bad.slice(0, MAX_ROWS_LISTED).join(', ');
      const more = bad.length > MAX_ROWS_LISTED ? ` and ${bad.length - MAX_ROWS_LISTED} more` : '';
      messages.push(`${table}.${column} is not valid UTF-8 in ${bad.length} row(s): rowid ${listed}${more}`);
    }
  }
  return messages;
}
