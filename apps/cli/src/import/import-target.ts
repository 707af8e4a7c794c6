import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CoachwireConfig } from '@coachwire/config';
import {
  backupDatabase,
  type CoachwireDatabase,
  classifyLegacyPlans,
  importLegacyPlans,
  importLegacyPlansPg,
  type LegacyImportPlan,
  type LegacyImportResult,
  type LegacyPlan,
  migratePostgres,
  openDatabase,
  type PgHandle,
  planLegacyImport,
  planLegacyImportPg,
  postgresMigrationState,
  redactUrl,
  sqliteMigrationState,
} from '@coachwire/storage';
import { CliError, type CliIo } from '../cli-io.js';
import { prepareBackupDirectory, refuseBackupPath } from '../commands/db-commands.js';
import { backupPostgres, findPgDump } from '../commands/pg-backup.js';
import {
  connectPostgres,
  openMigratedDatabase,
  refuseNonCoachwireDatabase,
  requireMigrated,
  usesPostgres,
} from '../open-target.js';

/** The database an import writes into (SQLite or PostgreSQL), as the import needs it. */
export interface ImportTarget {
  /** Safe to print (a PostgreSQL URL's password is `***`). */
  readonly location: string;
  preview(plans: readonly LegacyPlan[]): Promise<LegacyImportPlan>;
  write(plans: readonly LegacyPlan[], options: { skipConflicts: boolean }): Promise<LegacyImportResult>;
  /** Takes the pre-import backup and returns where it went, or null (said on stdout) when none could be. */
  backup(requested: string | undefined, stamp: string): Promise<string | null>;
  close(): Promise<void>;
}

/** The target of a real import: created and migrated when needed. */
export async function openImportTarget(config: CoachwireConfig, io: CliIo): Promise<ImportTarget> {
  if (usesPostgres(config)) {
    const handle = await connectPostgres(config.database.url, 2);
    try {
      await migratePostgres(handle);
    } catch (error) {
      await handle.close();
      throw error;
    }
    return postgresTarget(handle, config.database.url, io);
  }
  return sqliteTarget(await openMigratedDatabase(config.database.path), io);
}

/**
 * The target of a dry run, which writes nothing: the database as it is (read-only on SQLite), or, when it
 * does not exist or is not migrated yet, nothing at all (every valid plan would be new).
 */
export async function openDryRunTarget(config: CoachwireConfig, io: CliIo): Promise<ImportTarget> {
  if (usesPostgres(config)) {
    const handle = await connectPostgres(config.database.url, 1);
    const { applied } = await postgresMigrationState(handle).catch(async (error: unknown) => {
      await handle.close();
      throw error;
    });
    if (applied > 0) return postgresTarget(handle, config.database.url, io);
    await handle.close();
    return emptyTarget(redactUrl(config.database.url));
  }
  const { path } = config.database;
  if (!existsSync(path) || statSync(path).size === 0) return emptyTarget(path);
  refuseNonCoachwireDatabase(path);
  const handle = openDatabase({ path, readonly: true });
  try {
    // As on PostgreSQL: tables not created yet read as no plans (they were read as "no such table: plans").
    // Older tables cannot be read as they are; the real import would migrate them first.
    if (sqliteMigrationState(handle).applied > 0) {
      requireMigrated(handle);
      return sqliteTarget(handle, io);
    }
  } catch (error) {
    handle.close();
    throw error;
  }
  handle.close();
  return emptyTarget(path);
}

function sqliteTarget(handle: CoachwireDatabase, io: CliIo): ImportTarget {
  return {
    location: handle.path,
    preview: async (plans) => planLegacyImport(handle, plans),
    write: async (plans, options) => importLegacyPlans(handle, plans, options),
    async backup(requested, stamp) {
      const backup = resolve(io.cwd, requested ?? `${handle.path}.before-import-${stamp}`);
      if (requested !== undefined) refuseBackupPath(requested, backup, handle.path, backupOption);
      if (existsSync(backup))
        throw new CliError(`${backup} already exists.`, 'choose another --backup file.');
      // As `db backup` does: a directory that cannot take the file is named as such, not as the database.
      prepareBackupDirectory(backup);
      await backupDatabase(handle, backup);
      return backup;
    },
    close: async () => handle.close(),
  };
}

function postgresTarget(handle: PgHandle, url: string, io: CliIo): ImportTarget {
  return {
    location: handle.location,
    preview: (plans) => planLegacyImportPg(handle, plans),
    write: (plans, options) => importLegacyPlansPg(handle, plans, options),
    async backup(requested, stamp) {
      // The import is one verified transaction either way; the dump is for changing one's mind later.
      if (requested === undefined && !findPgDump(io.env)) {
        io.stdout(
          'No backup taken: pg_dump is not installed (apt-get install postgresql-client); the import still runs in one verified transaction.\n',
        );
        return null;
      }
      const backup = resolve(io.cwd, requested ?? `coachwire-before-import-${stamp}.dump`);
      if (requested !== undefined) refuseBackupPath(requested, backup, undefined, backupOption);
      if (existsSync(backup))
        throw new CliError(`${backup} already exists.`, 'choose another --backup file.');
      await backupPostgres(url, backup, io);
      return backup;
    },
    close: () => handle.close(),
  };
}

/** How the Fix of a refused --backup path shows another one. */
const backupOption = (path: string) => `--backup ${path}`;

function emptyTarget(location: string): ImportTarget {
  const nothing = () => {
    throw new Error('a dry run writes nothing');
  };
  return {
    location,
    preview: async (plans) =>
      classifyLegacyPlans(plans, { importedBefore: () => false, livePlanId: () => undefined }),
    write: nothing,
    backup: nothing,
    close: async () => undefined,
  };
}
