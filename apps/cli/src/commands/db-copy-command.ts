import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConflictError, StorageUnavailableError, ValidationError } from '@coachwire/core';
import { POSTGRES_FIXES, SCHEMA_TOO_NEW_FIX } from '@coachwire/runtime';
import {
  CopyVerificationError,
  copySqliteToPostgres,
  describeNulText,
  isOldPythonDatabase,
  NulTextError,
  openDatabase,
  redactUrl,
  SchemaTooNewError,
  SourceIntegrityError,
} from '@coachwire/storage';
import type { Command } from 'commander';
import { CliError, type CliIo, EXIT_USAGE } from '../cli-io.js';
import { connectPostgres } from '../open-target.js';

const EXAMPLE =
  'coachwire db copy --from sqlite:./data/coach_plans.db --to postgres://user:pass@host:5432/coachwire';

/** `coachwire db copy --from sqlite:PATH --to postgres://…`: moves an installation to PostgreSQL. */
export function registerDbCopyCommand(db: Command, io: CliIo): void {
  db.command('copy')
    .description(
      'Copy a whole SQLite installation into an empty PostgreSQL database (one transaction, ids kept, verified).',
    )
    .requiredOption('--from <source>', 'the SQLite file, as sqlite:PATH')
    .requiredOption('--to <url>', 'the PostgreSQL database, as postgres://user:password@host:port/database')
    .option(
      '--replace-nul',
      'store each NUL character (U+0000) in the text as U+FFFD, which PostgreSQL cannot store otherwise',
    )
    .action(async (options: { from: string; to: string; replaceNul?: boolean }) => {
      const sourcePath = sqliteSourcePath(options.from, io);
      const targetUrl = postgresTargetUrl(options.to);
      // The source first: a file that is not a database must not leave the target's pool open.
      const source = openDatabase({ path: sourcePath, readonly: true });
      // The old system's file has none of the tables a copy moves; its plans come in through `import`.
      if (isOldPythonDatabase(source.sqlite)) {
        source.close();
        throw new CliError(
          `${sourcePath} is the old Python system's database: \`db copy\` moves a Coachwire database, and this one has none of its tables.`,
          `import its plans into PostgreSQL directly: DATABASE_URL='<the --to URL>' coachwire import ${sourcePath}`,
          EXIT_USAGE,
        );
      }
      let target: Awaited<ReturnType<typeof connectPostgres>>;
      try {
        target = await connectPostgres(
          targetUrl,
          2,
          'check the --to URL: the server must be running and reachable from here, and the user, password and database must exist (createdb).',
          'correct the --to URL to the form postgres://user:password@host:5432/database, percent-encoding the special characters of the user name and password.',
        );
      } catch (error) {
        source.close();
        throw error;
      }
      try {
        const report = await copySqliteToPostgres(source, target, {
          replaceNul: options.replaceNul === true,
        }).catch((error: unknown) => {
          throw explainCopyFailure(error, sourcePath, io);
        });
        const width = Math.max(...report.tables.map((table) => table.table.length));
        const total = report.tables.reduce((sum, table) => sum + table.rows, 0);
        io.stdout(
          [
            `Copied sqlite:${sourcePath} to ${redactUrl(targetUrl)} (${report.migrations.applied} migration(s) applied to it first).`,
            ...report.tables.map((table) => `  ${table.table.padEnd(width)}  ${table.rows}`),
            `  ${'total'.padEnd(width)}  ${total}`,
            'Verified before commit: every table has as many rows as the source, and the ledger check passed:',
            ...report.ledger.checked.map((line) => `  checked: ${line}`),
            ...(report.replacedNul.length > 0
              ? [`Stored NUL characters (U+0000) as U+FFFD in ${describeNulText(report.replacedNul)}.`]
              : []),
            'Point DATABASE_URL at the copy and restart the apps; keep the SQLite file as the fallback.',
            '',
          ].join('\n'),
        );
      } finally {
        source.close();
        await target.close();
      }
    });
}

function sqliteSourcePath(from: string, io: CliIo): string {
  if (!from.startsWith('sqlite:'))
    throw new CliError(
      `--from must name a SQLite file as sqlite:PATH (got ${shownArgument(from, 40)}).`,
      /^postgres(ql)?:\/\//.test(from)
        ? `--from takes the SQLite file and --to the PostgreSQL database, e.g. ${EXAMPLE}`
        : `e.g. ${EXAMPLE}`,
      EXIT_USAGE,
    );
  const path = resolve(io.cwd, from.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, ''));
  if (!existsSync(path))
    throw new CliError(
      `No SQLite database at ${path}.`,
      'give the path of the file the apps used (database.path, env DATABASE_PATH).',
    );
  return path;
}

function postgresTargetUrl(to: string): string {
  // `--to "$DATABASE_URL"` in a shell where it is not set.
  if (to.trim() === '')
    throw new CliError(
      '--to is empty: is DATABASE_URL set in this shell?',
      `export DATABASE_URL=postgres://user:password@host:5432/coachwire first, or give the URL itself: ${EXAMPLE}`,
      EXIT_USAGE,
    );
  if (!/^postgres(ql)?:\/\//.test(to))
    throw new CliError(
      `--to must be a postgres:// or postgresql:// URL (got ${shownArgument(to, 80)}).`,
      to.includes('://')
        ? `e.g. ${EXAMPLE}`
        : `--to takes the PostgreSQL database and --from the SQLite file, e.g. ${EXAMPLE}`,
      EXIT_USAGE,
    );
  return to;
}

/**
 * A wrong --from or --to as it can be shown: whole (up to `length` characters) when it cannot hold a password
 * (no user info, no secret-looking key), so a mistyped path reads as itself; otherwise with the password (or
 * everything) hidden. --from gets a PostgreSQL URL when the two are swapped.
 */
function shownArgument(value: string, length: number): string {
  return value.includes('@') || /pass|secret|token|key/i.test(value)
    ? redactUrl(value)
    : JSON.stringify(value.slice(0, length));
}

function explainCopyFailure(error: unknown, sourcePath: string, io: CliIo): unknown {
  if (error instanceof ConflictError)
    return new CliError(
      `${error.message} Nothing was written.`,
      "copy into a new, empty database owned by the --to URL's user (as PostgreSQL's superuser: `createdb -O USER NAME`), or, if this one's data is not wanted, drop and create it again (`dropdb NAME && createdb -O USER NAME`; dropping only its tables would leave the migrations' record in its drizzle schema).",
    );
  if (error instanceof SourceIntegrityError)
    return new CliError(
      `${error.message} Nothing was written.`,
      `correct the rows named (or delete them) with the sqlite3 shell, as \`DATABASE_URL= DATABASE_PATH=${sourcePath} coachwire db check\` lists them, then copy again.`,
    );
  if (error instanceof NulTextError)
    return new CliError(
      `${error.message} Nothing was written.`,
      'copy again with --replace-nul to store each of them as U+FFFD (the copy lists the rows it changed), or remove them from those rows of the SQLite file first.',
    );
  if (error instanceof ValidationError)
    return new CliError(
      error.message,
      `migrate the SQLite file first: DATABASE_URL= DATABASE_PATH=${sourcePath} coachwire db migrate`,
    );
  // Anything else from the target (its migrations come first): e.g. a user who may not create tables there.
  if (error instanceof SchemaTooNewError) return new CliError(error.message, SCHEMA_TOO_NEW_FIX);
  if (error instanceof StorageUnavailableError) return new CliError(error.message, POSTGRES_FIXES.migrate);
  if (error instanceof CopyVerificationError) {
    for (const mismatch of error.mismatches) io.stdout(`  mismatch: ${mismatch}\n`);
    return new CliError(
      `${error.message} The target is as it was.`,
      'run `coachwire db check` on the SQLite file (with DATABASE_URL unset) and correct what it reports, then copy again.',
    );
  }
  return error;
}
