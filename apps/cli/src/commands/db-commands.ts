import { existsSync, type Stats, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { CoachwireConfig } from '@coachwire/config';
import { CoachwireError } from '@coachwire/core';
import { POSTGRES_FIXES, SCHEMA_TOO_NEW_FIX } from '@coachwire/runtime';
import {
  backupDatabase,
  DirectoryError,
  ensureWritableDirectory,
  integrityCheck,
  migrateDatabase,
  migratePostgres,
  openDatabase,
  redactUrl,
  SchemaTooNewError,
} from '@coachwire/storage';
import type { Command } from 'commander';
import { type GlobalOptions, loadCliConfig } from '../cli-config.js';
import { CliError, type CliIo, EXIT_USAGE } from '../cli-io.js';
import {
  connectPostgres,
  openExistingDatabase,
  openExistingStore,
  refuseNonCoachwireDatabase,
  usesPostgres,
} from '../open-target.js';
import { registerDbCopyCommand } from './db-copy-command.js';
import { backupPostgres } from './pg-backup.js';

/** `coachwire db migrate | backup <file> | check | copy`, on SQLite or (with DATABASE_URL) PostgreSQL. */
export function registerDbCommands(program: Command, io: CliIo): void {
  const db = program
    .command('db')
    .description(
      'Maintain the database the bot and the API share (SQLite, or PostgreSQL with DATABASE_URL).',
    );
  const globals = () => program.opts<GlobalOptions>();

  db.command('migrate')
    .description('Create the database if needed and apply pending migrations.')
    .action(async () => {
      const config = loadCliConfig(globals(), io);
      if (usesPostgres(config)) return migratePostgresDatabase(config, io);
      refuseNonCoachwireDatabase(config.database.path);
      const handle = openDatabase({ path: config.database.path });
      try {
        const { applied, total } = await migrateDatabase(handle);
        io.stdout(
          `Database ${handle.path} is up to date: applied ${applied} migration(s), ${total} in total.\n`,
        );
      } finally {
        handle.close();
      }
    });

  db.command('backup')
    .description(
      'Copy the database to <file>: SQLite online backup, or pg_dump (custom format) on PostgreSQL; safe while the apps run.',
    )
    .argument('<file>', 'where to write the copy; must not exist yet')
    .action(async (file: string) => {
      const config = loadCliConfig(globals(), io);
      const destination = resolve(io.cwd, file);
      refuseBackupPath(
        file,
        destination,
        usesPostgres(config) ? undefined : resolve(io.cwd, config.database.path),
        (path) => `coachwire db backup ${path}`,
      );
      if (existsSync(destination))
        throw new CliError(
          `${destination} already exists.`,
          'choose a new file name, or remove the old copy first.',
          EXIT_USAGE,
        );
      if (usesPostgres(config)) {
        // As for SQLite: a path pg_dump cannot write gets a fix about the path, not about the server.
        prepareBackupDirectory(destination);
        const { bytes } = await backupPostgres(config.database.url, destination, io);
        io.stdout(
          `Backed up ${redactUrl(config.database.url)} to ${destination} with pg_dump (custom format, ${bytes} bytes); restore it with pg_restore.\n`,
        );
        return;
      }
      // Another program's file is refused read-only, untouched (opening it to back it up switched it to WAL).
      // One that is migrations behind is backed up: that is the step before `db migrate` on an upgrade.
      const handle = openExistingDatabase(config.database.path);
      try {
        prepareBackupDirectory(destination);
        const { pages, checked } = await backupDatabase(handle, destination, (copy) => {
          const refused = (detail: string) =>
            new CliError(
              `The copy of ${handle.path} failed its integrity check, so the database itself is probably damaged: ${detail}. Nothing was written to ${destination}.`,
              'run `coachwire db check` on the database; if it reports problems, stop the apps, keep the damaged file for investigation and restore the newest backup.',
            );
          let report: ReturnType<typeof integrityCheck>;
          try {
            report = integrityCheck(copy);
          } catch (error) {
            throw refused((error as { cause?: Error }).cause?.message ?? (error as Error).message);
          }
          if (!report.ok) throw refused(report.messages.join('; '));
          return report;
        });
        io.stdout(
          `Backed up ${handle.path} to ${destination} (${pages} pages, ${checked!.counts.plans} plans); the copy passed its integrity check.\n`,
        );
      } finally {
        handle.close();
      }
    });

  db.command('check')
    .description('Run the integrity, foreign-key and ledger checks and count the rows of each table.')
    .action(async () => {
      const config = loadCliConfig(globals(), io);
      const store = await openExistingStore(config);
      try {
        const report = await store.integrityCheck();
        const live = await store.countPlans();
        const { plans, charts, revisions, events } = report.counts;
        io.stdout(
          [
            `Database ${store.location}: ${report.ok ? 'integrity ok' : 'INTEGRITY PROBLEMS'}`,
            `  plans:       ${plans} (${live} live, ${plans - live} deleted)`,
            `  charts:      ${charts}`,
            `  revisions:   ${revisions}`,
            // The plan part of the event log (the ledger's check below covers market and points events).
            `  plan events: ${events}`,
            ...report.messages.map((message) => `  problem: ${message}`),
            '',
          ].join('\n'),
        );
        const ledger = await store.checkLedger();
        io.stdout(
          [
            `Ledger: ${ledger.ok ? 'ok' : 'VIOLATIONS'}`,
            ...ledger.checked.map((line) => `  checked: ${line}`),
            ...ledger.violations.map((line) => `  violation: ${line}`),
            '',
          ].join('\n'),
        );
        if (!ledger.ok)
          throw new CliError(
            'The ledger check found violations (listed above).',
            `stop the apps, keep a copy of the ${store.kind === 'postgres' ? 'database (coachwire db backup)' : 'file'} for investigation, and restore the newest backup.`,
          );
        if (!report.ok) {
          const encodingOnly = report.messages.every((message) => message.includes('not valid UTF-8'));
          throw new CliError(
            'The integrity check found problems (listed above).',
            encodingOnly && store.kind === 'sqlite'
              ? 'correct the text of the rows named above (or delete them) with the sqlite3 shell; the file is otherwise sound.'
              : 'stop the apps and restore the newest backup (`coachwire db backup` makes them).',
          );
        }
      } finally {
        await store.close();
      }
    });
  registerDbCopyCommand(db, io);
}

/**
 * Refuses a backup path (`file` as typed, `destination` resolved) that names a directory, the SQLite database
 * itself (by any path) or one of its journal files, for `db backup` and `import --backup` alike: "remove the
 * old copy first", the advice for an old backup, would lose the database or a directory of files, so these
 * get their own fix. `database` is undefined on PostgreSQL; `command` shows how to pass another path.
 */
export function refuseBackupPath(
  file: string,
  destination: string,
  database: string | undefined,
  command: (path: string) => string,
): void {
  const example = `coachwire-${new Date().toISOString().slice(0, 10)}.db`;
  // `backups/` would otherwise become a file named `backups`.
  if (/[/\\]$/.test(file))
    throw new CliError(
      `${file} names a directory; the backup is one file.`,
      `name a file in it, e.g. \`${command(join(file, example))}\`.`,
      EXIT_USAGE,
    );
  if (database === undefined) return;
  // SQLite's own files beside the database: a backup there would be taken for (or replaced by) its journal.
  const journal = ['-wal', '-shm', '-journal'].find((suffix) => destination === database + suffix);
  if (journal !== undefined)
    throw new CliError(
      `${destination} is the name of the database's ${journal.slice(1)} file; a backup must be another file.`,
      `choose a path outside the database's directory, e.g. \`${command(`/var/backups/coachwire/${example}`)}\`.`,
      EXIT_USAGE,
    );
  const target = statIfAny(destination);
  if (target === undefined) return;
  const source = statIfAny(database);
  if (source !== undefined && source.dev === target.dev && source.ino === target.ino)
    throw new CliError(
      `${destination} is the database itself (database.path); a backup must be another file.`,
      `choose a path outside the database's directory, e.g. \`${command(`/var/backups/coachwire/${example}`)}\`.`,
      EXIT_USAGE,
    );
  if (target.isDirectory())
    throw new CliError(
      `${destination} is a directory; the backup is one file.`,
      `name a new file in it, e.g. \`${command(join(destination, example))}\`.`,
      EXIT_USAGE,
    );
}

/** The entry at `path`, or undefined when there is none or it cannot be looked at (the copy reports why). */
function statIfAny(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/**
 * Creates the backup's directory when missing (the documented `coachwire db backup backups/…` relies on it)
 * and proves a file can be created there, so a path below a file, or a directory this user cannot write,
 * fails before the copy starts, with a fix about the backup path rather than the database's.
 */
export function prepareBackupDirectory(destination: string): void {
  const directory = dirname(destination);
  try {
    ensureWritableDirectory(directory);
  } catch (error) {
    if (!(error instanceof DirectoryError)) throw error;
    if (error.code === 'ENOTDIR')
      throw new CliError(
        `Cannot write the backup to ${destination}: ${error.directory} is a file, not a directory.`,
        'choose another path',
      );
    throw new CliError(
      `Cannot write the backup to ${destination}: ${error.message}.`,
      error.code === 'EACCES' || error.code === 'EPERM' || error.code === 'EROFS'
        ? `choose a directory this user can write, or give it write access to ${error.directory}`
        : `create the directory first (mkdir -p ${directory}) or choose another path`,
    );
  }
}

async function migratePostgresDatabase(config: CoachwireConfig, io: CliIo): Promise<void> {
  const handle = await connectPostgres(config.database.url, 1);
  try {
    const { applied, total } = await migratePostgres(handle).catch((error: unknown) => {
      if (error instanceof SchemaTooNewError) throw new CliError(error.message, SCHEMA_TOO_NEW_FIX);
      throw error instanceof CoachwireError ? new CliError(error.message, POSTGRES_FIXES.migrate) : error;
    });
    io.stdout(
      `Database ${handle.location} is up to date: applied ${applied} migration(s), ${total} in total.\n`,
    );
  } finally {
    await handle.close();
  }
}
