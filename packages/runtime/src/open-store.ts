import type { CoachwireConfig, Logger } from '@coachwire/config';
import {
  type CoachwireStore,
  openPostgresStore,
  openSqliteStore,
  parsePgUrl,
  StoreOpenError,
  type StoreOpenStage,
} from '@coachwire/storage';
import { StartupError } from './startup-checks.js';

/** For a database a newer release migrated (either backend; the CLI says it too). */
export const SCHEMA_TOO_NEW_FIX =
  'Run the Coachwire release that migrated it, or a newer one. To go back to this release, restore the backup ' +
  'taken before the upgrade (coachwire db backup); see "Upgrading" in docs/DEPLOYMENT.md.';

/** What to do when opening the SQLite file fails at each stage. */
const SQLITE_FIXES: Record<StoreOpenStage, string> = {
  schema: SCHEMA_TOO_NEW_FIX,
  open: "Check that database.path (env DATABASE_PATH) names a SQLite file this user can read and write; for the old Python system's file, point it at a new one and import the old (coachwire import); for another program's database, point it at the Coachwire one or a new file.",
  migrate: 'Restore the file from a backup (coachwire db backup) or point database.path at a fresh file.',
  ping: 'Check the disk and the file permissions of the database.',
};

/** What to do when opening the PostgreSQL database fails at each stage (the CLI's migrate and copy say it too). */
export const POSTGRES_FIXES: Readonly<Record<StoreOpenStage, string>> = {
  schema: SCHEMA_TOO_NEW_FIX,
  open: 'Check database.url (env DATABASE_URL): the server must be running and reachable, and the user, password and database must exist.',
  migrate:
    'Check that the database user owns the database (createdb -O <user> <database>) or may create schemas and tables in it, and that no other instance holds the migration lock (coachwire db migrate shows the error).',
  ping: 'Check that the PostgreSQL server is running and reachable.',
};

/** For a PostgreSQL URL that cannot be read: starting the server would not help (the CLI says it too). */
export const POSTGRES_URL_FIX =
  'Correct database.url (env DATABASE_URL) to the form postgres://user:password@host:5432/database, ' +
  'percent-encoding the special characters of the user name and password.';

/**
 * The one place the storage backend is chosen: opens, migrates and pings it, and returns the store. A
 * failure is a StartupError naming the fix for the stage that failed; nothing is left open after one.
 */
export async function openStore(config: CoachwireConfig, logger: Logger): Promise<CoachwireStore> {
  if (config.database.url !== '') {
    const { url, pool_size: poolSize } = config.database;
    try {
      parsePgUrl(url);
    } catch (error) {
      throw new StartupError((error as Error).message, POSTGRES_URL_FIX);
    }
    return explainFailure(() => openPostgresStore({ url, poolSize, logger }), POSTGRES_FIXES);
  }
  return explainFailure(
    () =>
      openSqliteStore({
        path: config.database.path,
        logger,
        backgroundCheckpoints: true,
        lockWaitsInSlices: true,
      }),
    SQLITE_FIXES,
  );
}

async function explainFailure(
  open: () => Promise<CoachwireStore>,
  fixes: Record<StoreOpenStage, string>,
): Promise<CoachwireStore> {
  try {
    return await open();
  } catch (error) {
    const stage = error instanceof StoreOpenError ? error.stage : 'open';
    throw new StartupError((error as Error).message, fixes[stage]);
  }
}
