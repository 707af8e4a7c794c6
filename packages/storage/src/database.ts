import { randomUUID } from 'node:crypto';
import { closeSync, mkdirSync, openSync, rmSync, type Stats, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { type StopCheckpoints, startBackgroundCheckpoints } from './background-checkpoints.js';
import {
  foreignDatabaseReason,
  foreignTables,
  isOldPythonDatabase,
  oldPythonDatabaseReason,
} from './legacy-database.js';
import * as schema from './schema.js';
import { storageUnavailable } from './storage-errors.js';

/** The slice of a pino logger storage uses; any pino logger fits. */
export interface StorageLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface OpenDatabaseOptions {
  /** Path of the SQLite file; its directory is created when missing (unless read-only). */
  readonly path: string;
  /** Open an existing file read-only (e.g. for an integrity check on a copy). */
  readonly readonly?: boolean | undefined;
  readonly logger?: StorageLogger | undefined;
  /**
   * Checkpoint the WAL in a worker thread instead of on the committing call (see background-checkpoints.ts):
   * for long-running writers (the API, the bot), not for short commands and copies.
   */
  readonly backgroundCheckpoints?: boolean | undefined;
}

/** An open database: the raw better-sqlite3 connection, drizzle over it, and the absolute path. */
export interface CoachwireDatabase {
  readonly path: string;
  readonly sqlite: Database.Database;
  readonly db: BetterSQLite3Database<typeof schema>;
  readonly readonly: boolean;
  readonly logger: StorageLogger | undefined;
  close(): void;
}

/** How long a writer waits for another process's lock before failing with SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5000;

/** A file-system error with its errno code (ENOTDIR, ENOENT, EACCES, EROFS, ENOSPC, ...) and the directory it concerns. */
export class DirectoryError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly directory: string,
  ) {
    super(message);
    this.name = 'DirectoryError';
  }
}

function directoryError(directory: string, error: unknown): DirectoryError {
  const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
  return new DirectoryError(`${directory}: ${code}`, code, directory);
}

/** The entry at `path`, or undefined when it (or, ENOTDIR, a parent) is missing; other errors are thrown. */
function statIfPresent(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw directoryError(path, error);
  }
}

/**
 * Creates `directory` (and missing parents) if needed. Unlike `mkdirSync(..., { recursive: true })`, which
 * loops forever where the kernel answers ENOENT to every mkdir (e.g. under /proc), each level is created once
 * and the first failure is thrown as a DirectoryError with its errno code. A file in the way gives ENOTDIR.
 */
export function ensureDirectory(directory: string): void {
  const missing: string[] = [];
  let current = resolve(directory);
  for (;;) {
    const existing = statIfPresent(current);
    if (existing) {
      if (!existing.isDirectory())
        throw new DirectoryError(`${current} is not a directory`, 'ENOTDIR', current);
      break;
    }
    missing.unshift(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const level of missing) {
    try {
      mkdirSync(level);
    } catch (error) {
      // Another process (the API and the bot start together) may have just created it.
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && statSync(level).isDirectory()) continue;
      throw directoryError(level, error);
    }
  }
}

/**
 * Creates `directory` if needed and proves this process can create files in it by creating and removing
 * one. `access(W_OK)` is not enough: it answers yes to root for /proc and for directories whose mode denies
 * writing. Throws a DirectoryError (ENOTDIR, ENOENT, EACCES, EROFS, ENOSPC, ...) within milliseconds.
 */
export function ensureWritableDirectory(directory: string): void {
  ensureDirectory(directory);
  const probe = join(resolve(directory), `.coachwire-write-test-${process.pid}-${randomUUID()}`);
  try {
    closeSync(openSync(probe, 'wx'));
  } catch (error) {
    throw directoryError(resolve(directory), error);
  }
  rmSync(probe, { force: true });
}

/**
 * Throws when the database file, or its `-wal` or `-shm` beside it, exists but this process may not write it.
 * SQLite would open such a file read-only without a word, and every write would fail later (SQLITE_READONLY):
 * the apps would start, report healthy and refuse every bet. It happens when a command run as root (a
 * `coachwire db migrate` or `import` without `sudo -u`) created the files the services' user must write.
 */
function assertWritableDatabaseFiles(path: string): void {
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    let descriptor: number;
    try {
      descriptor = openSync(file, 'r+');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
      if (code === 'ENOENT') continue;
      const owner = statSync(file, { throwIfNoEntry: false })?.uid;
      throw new Error(
        `${file} cannot be written by this user (${code}${owner === undefined ? '' : `; it belongs to uid ${owner}`}): ` +
          'give the user the apps run as ownership of it (chown), as a command run as another user (root) may have created it',
      );
    }
    closeSync(descriptor);
  }
}

/**
 * Opens (creating when needed) the SQLite file with the pragmas both processes rely on: WAL so the API
 * reads while the bot writes, a busy timeout so writers queue instead of failing, foreign keys on.
 * Throws StorageUnavailableError naming the path when the file cannot be opened.
 */
export function openDatabase(options: OpenDatabaseOptions): CoachwireDatabase {
  const path = resolve(options.path);
  const readonly = options.readonly ?? false;
  let sqlite: Database.Database | undefined;
  try {
    if (!readonly) ensureWritableDirectory(dirname(path));
    // SQLite's own words for it are "unable to open database file", which names no fix.
    if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) {
      throw new Error(
        `it is a directory; name the database file itself, e.g. ${join(path, 'coach_plans.db')}`,
      );
    }
    if (!readonly) assertWritableDatabaseFiles(path);
    sqlite = new Database(path, { readonly, fileMustExist: readonly, timeout: BUSY_TIMEOUT_MS });
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Before anything writes to it (switching to WAL rewrites its header): the old system's file stays as it
    // was, and its data comes in through `coachwire import`.
    if (!readonly && isOldPythonDatabase(sqlite)) throw new Error(oldPythonDatabaseReason(path));
    // Likewise any other program's database: migrating would add our tables among its own.
    const foreign = readonly ? [] : foreignTables(sqlite);
    if (foreign.length > 0) throw new Error(foreignDatabaseReason(foreign));
    if (!readonly) sqlite.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: each commit is written to the WAL before the call returns, and fsynced at the next
    // checkpoint. A crash of the process loses nothing; a power cut can lose the last commits, but each
    // whole or not at all (a bet with its transfers, balances and idempotency record), so the ledger never
    // holds half an operation and its balances always sum to zero. FULL would fsync every commit (~1.2 ms
    // here, a third of the bet throughput) to keep those last commits too.
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    // Statement journals in memory. The ledger runs each operation of a group commit in a savepoint, and a
    // savepoint journals every page it changes that an earlier operation of the transaction had changed.
    // Past 64 KB that journal spills to a temporary file that SQLite creates, writes and deletes on every
    // commit: with files (SQLite's default) bets cost about a fifth more CPU on ext4 (API bench, 32
    // connections). Sorts and GROUP BYs too large for the page cache then stay in memory too, instead of
    // spilling to temporary files; the largest here holds one small row per position (`db check`).
    sqlite.pragma('temp_store = MEMORY');
    // Reading the schema touches the file, so a directory or a non-database file fails here, not later.
    sqlite.prepare('SELECT count(*) FROM sqlite_schema').get();
  } catch (error) {
    sqlite?.close();
    throw storageUnavailable(path, 'open', error);
  }
  const connection = sqlite;
  const stopCheckpoints: StopCheckpoints | undefined =
    options.backgroundCheckpoints === true && !readonly
      ? startBackgroundCheckpoints(connection, path, options.logger)
      : undefined;
  options.logger?.info({ path, readonly }, 'database opened');
  return {
    path,
    sqlite: connection,
    db: drizzle({ client: connection, schema }),
    readonly,
    logger: options.logger,
    close: () => {
      stopCheckpoints?.();
      if (connection.open) connection.close();
    },
  };
}
