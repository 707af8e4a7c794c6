import { readFileSync } from 'node:fs';
import { SCHEMA_TOO_NEW_FIX, StartupError } from '@coachwire/runtime';
import { SchemaTooNewError } from '@coachwire/storage';
import { Command, CommanderError } from 'commander';
import { CliError, type CliIo, EXIT_FAILURE, EXIT_USAGE, processIo } from './cli-io.js';
import { registerChartsCommands } from './commands/charts-commands.js';
import { registerDbCommands } from './commands/db-commands.js';
import { registerDeployCommandsCommand } from './commands/deploy-commands-command.js';
import { registerHealthCommand } from './commands/health-command.js';
import { registerImportCommand } from './commands/import-command.js';
import { registerMockCommand } from './commands/mock-command.js';
import { registerSayCommand } from './commands/say-command.js';

/** The CLI's version, from its package.json (one level above both src/ and dist/). */
export function cliVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version?: string;
  };
  return manifest.version ?? 'unknown';
}

/** The words a user types to reach `command`, e.g. `coachwire db backup`. */
function commandPath(command: Command): string {
  const names: string[] = [];
  for (let current: Command | null = command; current; current = current.parent)
    names.unshift(current.name());
  return names.join(' ');
}

/**
 * Sends commander's output to `io`, and ends every usage error (missing argument, unknown option or command)
 * with a `Fix:` line, as every other failure has; commander's exits come back as thrown CommanderErrors.
 */
function configureIo(command: Command, io: CliIo): void {
  command.exitOverride().configureOutput({
    writeOut: io.stdout,
    writeErr: io.stderr,
    outputError: (message, write) =>
      write(`${message}Fix: run \`${commandPath(command)} --help\` for its usage and an example.\n`),
  });
}

/**
 * An example for the help of each command, by the words that reach it: every usage error's Fix line sends the
 * reader to that help "for its usage and an example".
 */
const HELP_EXAMPLES: Record<string, string> = {
  coachwire: 'coachwire db check',
  'coachwire db': 'coachwire db check',
  'coachwire db migrate': 'coachwire db migrate',
  'coachwire db backup': 'coachwire db backup "backups/coachwire-$(date +%Y%m%d-%H%M%S).db"',
  'coachwire db check': "MOCK_MODE=true coachwire db check   # mock mode's database",
  'coachwire db copy':
    'coachwire db copy --from sqlite:data/coach_plans.db --to postgres://coachwire:PASSWORD@127.0.0.1:5432/coachwire',
  'coachwire import': 'coachwire import old/coach_plans.db --dry-run',
  'coachwire charts': 'coachwire charts verify',
  'coachwire charts gc': 'coachwire charts gc --grace-hours 24 --dry-run',
  'coachwire charts verify': 'coachwire charts verify',
  'coachwire mock': 'coachwire mock --days 5',
  'coachwire say': "coachwire say '!balance'",
  'coachwire deploy-commands': 'coachwire deploy-commands --guild 123456789012345678',
  'coachwire health': 'coachwire health --url http://127.0.0.1:5000 --require discord_bot',
};

/** The `coachwire` command tree, writing to `io`; commander's own exits become thrown CommanderErrors. */
export function buildProgram(io: CliIo): Command {
  const program = new Command('coachwire')
    .description(
      'Operate Coachwire: the database, legacy imports, archived charts, Discord commands, mock mode and health.',
    )
    .version(cliVersion(), '-V, --version', 'print the version')
    .option(
      '--config <path>',
      'YAML configuration file (also COACHWIRE_CONFIG); .env and the environment apply on top',
    );
  configureIo(program, io);
  registerDbCommands(program, io);
  registerImportCommand(program, io);
  registerChartsCommands(program, io);
  registerMockCommand(program, io);
  registerSayCommand(program, io);
  registerDeployCommandsCommand(program, io);
  registerHealthCommand(program, io);
  // Subcommands get the same output and overrides so their usage errors also come back as exceptions.
  for (const command of program.commands) {
    configureIo(command, io);
    for (const sub of command.commands) configureIo(sub, io);
  }
  for (const command of [program, ...program.commands, ...program.commands.flatMap((c) => c.commands)]) {
    const example = HELP_EXAMPLES[commandPath(command)];
    if (example !== undefined) command.addHelpText('after', `\nExample:\n  ${example}`);
  }
  return program;
}

const STORAGE_FIX =
  'check that database.path (env DATABASE_PATH) names a file in a directory this user can create and write, ' +
  'on a disk with free space; or, when DATABASE_URL is set, that its PostgreSQL server is running and reachable.';

const LOCKED_FIX =
  'another process holds a write lock on the database (an import or `coachwire mock` still running, or a sqlite3 ' +
  'shell with an open transaction; the bot and the API hold it only briefly): let it finish or stop it, then run ' +
  'the command again.';

const DAMAGED_FIX =
  'database.path (env DATABASE_PATH) must name a Coachwire SQLite database: if it names another file, point it ' +
  'at the right one; if it is the right one, stop the apps, keep the damaged file for investigation and restore ' +
  'the newest backup (`coachwire db backup` makes them).';

const ALTERED_FIX =
  "the database's tables are not those its recorded migrations made (one was dropped or changed by hand or by " +
  'another program), so `coachwire db migrate` will not restore them: stop the apps, keep the file for ' +
  'investigation and restore the newest backup (`coachwire db backup` makes them).';

/**
 * The Fix for a storage failure, by the driver's code behind it: a lock held elsewhere, a damaged file or a
 * schema altered by hand is not cured by checking permissions and disk space.
 */
function storageFix(error: unknown): string {
  if (error instanceof SchemaTooNewError) return SCHEMA_TOO_NEW_FIX;
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const code = cause?.code;
  if (typeof code === 'string') {
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return LOCKED_FIX;
    if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return DAMAGED_FIX;
    // Commands run only on a database whose migrations are all recorded, so a missing table or column is not
    // an old schema but an altered one.
    if (code === 'SQLITE_ERROR' && /^no such (table|column)\b/.test(String(cause?.message)))
      return ALTERED_FIX;
  }
  return STORAGE_FIX;
}

/** A harmless command of each command group, for the Fix line of a group given without one. */
const GROUP_EXAMPLES: Record<string, string> = {
  db: 'coachwire db check',
  charts: 'coachwire charts verify',
};

/** Runs one `coachwire` invocation and returns its exit status; every failure is a message, never a stack. */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  try {
    await buildProgram(io).parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // No command where one is needed (`coachwire`, `coachwire db`): commander printed the usage on stderr.
      if (error.code === 'commander.help' && error.exitCode !== 0) {
        // `coachwire help bogus` (or `charts help bogus`): commander shows the whole help for a topic it lacks.
        const topic = argv[argv.indexOf('help') + 1];
        if (argv.includes('help') && topic !== undefined) {
          const parent = argv.slice(0, argv.indexOf('help')).filter((arg) => !arg.startsWith('-'));
          const listing = ['coachwire', ...parent, 'help'].join(' ');
          io.stderr(
            `coachwire: there is no command '${topic}' to describe.\nFix: \`${listing}\` lists the commands.\n`,
          );
          return EXIT_USAGE;
        }
        // The example is one of the group's own commands (`coachwire charts` must not suggest a `db` one).
        const group = argv.find((arg) => Object.hasOwn(GROUP_EXAMPLES, arg));
        io.stderr(
          group === undefined
            ? `Fix: add a command, e.g. \`${GROUP_EXAMPLES.db}\`; \`coachwire help <command>\` describes each.\n`
            : `Fix: add a command, e.g. \`${GROUP_EXAMPLES[group]}\`; \`coachwire help ${group}\` lists them.\n`,
        );
        return EXIT_USAGE;
      }
      // Help and version are "errors" to commander; a usage mistake has already been printed.
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.help' ||
        error.code === 'commander.version'
      )
        return 0;
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (error instanceof CliError) {
      io.stderr(`coachwire: ${error.message}\n${error.fix ? `Fix: ${error.fix}\n` : ''}`);
      return error.exitCode;
    }
    if (error instanceof StartupError) {
      io.stderr(`coachwire: ${error.message}\nFix: ${error.fix}\n`);
      return EXIT_FAILURE;
    }
    const code = (error as { code?: unknown }).code;
    const label = typeof code === 'string' ? ` [${code}]` : '';
    const fix = code === 'STORAGE_UNAVAILABLE' ? `Fix: ${storageFix(error)}\n` : '';
    io.stderr(`coachwire${label}: ${(error as Error).message ?? String(error)}\n${fix}`);
    return EXIT_FAILURE;
  }
}
