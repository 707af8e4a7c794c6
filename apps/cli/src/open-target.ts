import { existsSync } from 'node:fs';
import type { CoachwireConfig } from '@coachwire/config';
import {
  type CoachwireDatabase,
  type CoachwireStore,
  migrateDatabase,
  openDatabase,
  sqliteStoreOver,
} from '@coachwire/storage';
import { CliError } from './cli-io.js';

/** Opens an existing database file; a missing one is an error naming the fix, not a new empty file. */
export function openExistingDatabase(path: string): CoachwireDatabase {
  if (!existsSync(path))
    throw new CliError(
      `No database at ${path}.`,
      'create it with `coachwire db migrate`, or point DATABASE_PATH (database.path) at the right file.',
    );
  return openDatabase({ path });
}

/** Opens (creating when missing) and migrates the database the apps use. */
export async function openMigratedDatabase(path: string): Promise<CoachwireDatabase> {
  const handle = openDatabase({ path });
  try {
    await migrateDatabase(handle);
  } catch (error) {
    handle.close();
    throw error;
  }
  return handle;
}

/**
 * The store of the database the apps use, for commands that read or check an existing installation: never
 * created and never migrated here (a check must see the file as it is). The CLI's choice of backend.
 */
export function openExistingStore(config: CoachwireConfig): CoachwireStore {
  return sqliteStoreOver(openExistingDatabase(config.database.path));
}
