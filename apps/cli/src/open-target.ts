import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CoachwireConfig } from '@coachwire/config';
import { CoachwireError } from '@coachwire/core';
import { POSTGRES_URL_FIX } from '@coachwire/runtime';
import {
  type CoachwireDatabase,
  type CoachwireStore,
  foreignTables,
  isOldPythonDatabase,
  migrateDatabase,
  openDatabase,
  openPostgres,
  type PgHandle,
  postgresMigrationState,
  postgresStoreOver,
  sqliteMigrationState,
  sqliteStoreOver,
} from '@coachwire/storage';
import { CliError, EXIT_USAGE } from './cli-io.js';

/**
 * Refuses, with the CLI's usage exit and Fix line, a database path that names the old Python system's file or
 * another program's database (storage's openDatabase refuses both too, before changing them; this says what to
 * do in the CLI's words). Looked at read-only; anything that cannot be read that way is left for the real open
 * to report.
 */
export function refuseNonCoachwireDatabase(path: string): void {
  if (!existsSync(path)) return;
  const found = readOnly(path, (probe) =>
    isOldPythonDatabase(probe.sqlite) ? 'python' : foreignTables(probe.sqlite),
  );
  if (found === undefined) return;
  const file = resolve(path);
  if (found === 'python')
    throw new CliError(
      `${file} (database.path) is the old Python system's database; Coachwire never writes to it.`,
      `point DATABASE_PATH (database.path) at a new file, e.g. DATABASE_PATH=./data/coach_plans.db, then bring the old data in with \`coachwire import ${file}\`.`,
      EXIT_USAGE,
    );
  if (found.length > 0)
    throw new CliError(
      `${file} (database.path) is another program's database (tables ${found.slice(0, 5).join(', ')}${found.length > 5 ? ', …' : ''}), not a Coachwire one; Coachwire does not add its tables to it.`,
      'point DATABASE_PATH (database.path) at the Coachwire database, or at a new file, e.g. DATABASE_PATH=./data/coach_plans.db.',
      EXIT_USAGE,
    );
}

/**
 * `read` over a read-only connection to the file, which is never changed by it; undefined when the file
 * cannot be opened that way (the real open then reports why). Errors thrown by `read` itself propagate.
 */
function readOnly<T>(path: string, read: (probe: CoachwireDatabase) => T): T | undefined {
  let probe: CoachwireDatabase;
  try {
    probe = openDatabase({ path, readonly: true });
  } catch {
    return undefined;
  }
  try {
    return read(probe);
  } finally {
    probe.close();
  }
}

/**
 * Opens an existing database file; a missing one is an error naming the fix, not a new empty file. With
 * `migrated`, a file without every committed migration is refused too, looked at read-only first so that a
 * refused file (an empty one, another program's database) is left exactly as it was.
 */
export function openExistingDatabase(
  path: string,
  options: { readonly migrated?: boolean } = {},
): CoachwireDatabase {
  if (!existsSync(path))
    throw new CliError(
      `No database at ${path}.`,
      'create it with `coachwire db migrate`, or point DATABASE_PATH (database.path) at the right file.',
    );
  refuseNonCoachwireDatabase(path);
  if (options.migrated) readOnly(path, requireMigrated);
  if (statSync(path).size === 0)
    throw new CliError(
      `The database file at ${resolve(path)} is empty.`,
      'create the database in it with `coachwire db migrate`, or point DATABASE_PATH (database.path) at the right file.',
    );
  const handle = openDatabase({ path });
  try {
    if (options.migrated) requireMigrated(handle);
  } catch (error) {
    handle.close();
    throw error;
  }
  return handle;
}

/**
 * Refuses, as the PostgreSQL path does, a SQLite file with none or only some of the committed migrations (an
 * empty file, or one a newer release has not migrated yet): its tables are missing or older, so a check would
 * fail on them with a bare `no such table`.
 */
export function requireMigrated(handle: CoachwireDatabase): void {
  const { applied, total } = sqliteMigrationState(handle);
  if (applied < total)
    throw new CliError(
      applied === 0
        ? `The database at ${handle.path} has no Coachwire tables.`
        : `The database at ${handle.path} is ${total - applied} migration(s) behind.`,
      'run `coachwire db migrate` with the same DATABASE_PATH (back it up first with `coachwire db backup` if it holds data).',
    );
}

/** Opens (creating when missing) and migrates the database the apps use. */
export async function openMigratedDatabase(path: string): Promise<CoachwireDatabase> {
  refuseNonCoachwireDatabase(path);
  const handle = openDatabase({ path });
  try {
    await migrateDatabase(handle);
  } catch (error) {
    handle.close();
    throw error;
  }
  return handle;
}

/** True when the configuration selects PostgreSQL (database.url, env DATABASE_URL) rather than SQLite. */
export function usesPostgres(config: CoachwireConfig): boolean {
  return config.database.url !== '';
}

export const POSTGRES_UNREACHABLE_FIX =
  'check database.url (env DATABASE_URL): the server must be running and reachable from here, and the user, ' +
  'password and database must exist.';

/**
 * Connects to the PostgreSQL database at `url` (one connection checked). A bad URL exits 2 with `urlFix`
 * (starting the server would not help), an unreachable server 1 with `fix`; both messages name
 * host:port/database and never the password (storage's errors guarantee it).
 */
export async function connectPostgres(
  url: string,
  poolSize: number,
  fix = POSTGRES_UNREACHABLE_FIX,
  urlFix = POSTGRES_URL_FIX,
): Promise<PgHandle> {
  try {
    return await openPostgres({ url, poolSize });
  } catch (error) {
    if (error instanceof CoachwireError)
      throw error.code === 'VALIDATION'
        ? new CliError(error.message, urlFix, EXIT_USAGE)
        : new CliError(error.message, fix);
    throw error;
  }
}

/**
 * The store of the database the apps use, for commands that read or check an existing installation: never
 * created and never migrated here (a check must see the database as it is). The CLI's choice of backend.
 * On PostgreSQL "existing" means reachable and fully migrated.
 */
export async function openExistingStore(config: CoachwireConfig): Promise<CoachwireStore> {
  if (!usesPostgres(config)) {
    return sqliteStoreOver(openExistingDatabase(config.database.path, { migrated: true }));
  }
  const handle = await connectPostgres(config.database.url, config.database.pool_size);
  try {
    const { applied, total } = await postgresMigrationState(handle);
    if (applied < total)
      throw new CliError(
        applied === 0
          ? `The PostgreSQL database at ${handle.target} has no Coachwire tables.`
          : `The PostgreSQL database at ${handle.target} is ${total - applied} migration(s) behind.`,
        'run `coachwire db migrate` with the same DATABASE_URL.',
      );
  } catch (error) {
    await handle.close();
    throw error;
  }
  return postgresStoreOver(handle);
}
