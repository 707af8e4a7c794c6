import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
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

/** Creates `directory` if missing; a file in its place gets a clearer message than mkdir's EEXIST. */
export function ensureDirectory(directory: string): void {
  const existing = statSync(directory, { throwIfNoEntry: false });
  if (existing && !existing.isDirectory()) throw new Error(`${directory} is not a directory`);
  if (!existing) mkdirSync(directory, { recursive: true });
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
    if (!readonly) ensureDirectory(dirname(path));
    sqlite = new Database(path, { readonly, fileMustExist: readonly, timeout: BUSY_TIMEOUT_MS });
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (!readonly) sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    // Reading the schema touches the file, so a directory or a non-database file fails here, not later.
    sqlite.prepare('SELECT count(*) FROM sqlite_schema').get();
  } catch (error) {
    sqlite?.close();
    throw storageUnavailable(path, 'open', error);
  }
  const connection = sqlite;
  options.logger?.info({ path, readonly }, 'database opened');
  return {
    path,
    sqlite: connection,
    db: drizzle({ client: connection, schema }),
    readonly,
    logger: options.logger,
    close: () => {
      if (connection.open) connection.close();
    },
  };
}
