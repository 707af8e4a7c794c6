import { StartupError } from '@coachwire/runtime';
import { Command, CommanderError } from 'commander';
import { CliError, type CliIo, EXIT_FAILURE, EXIT_USAGE, processIo } from './cli-io.js';
import { registerChartsCommands } from './commands/charts-commands.js';
import { registerDbCommands } from './commands/db-commands.js';
import { registerDeployCommandsCommand } from './commands/deploy-commands-command.js';
import { registerHealthCommand } from './commands/health-command.js';
import { registerImportCommand } from './commands/import-command.js';
import { registerMockCommand } from './commands/mock-command.js';

/** The `coachwire` command tree, writing to `io`; commander's own exits become thrown CommanderErrors. */
export function buildProgram(io: CliIo): Command {
  const program = new Command('coachwire')
    .description(
      'Operate Coachwire: the database, legacy imports, archived charts, Discord commands, mock data and health.',
    )
    .option(
      '--config <path>',
      'YAML configuration file (also COACHWIRE_CONFIG); .env and the environment apply on top',
    )
    .showHelpAfterError('(run `coachwire --help` for the commands)')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  registerDbCommands(program, io);
  registerImportCommand(program, io);
  registerChartsCommands(program, io);
  registerMockCommand(program, io);
  registerDeployCommandsCommand(program, io);
  registerHealthCommand(program, io);
  // Subcommands inherit the overrides so their usage errors also come back as exceptions.
  for (const command of program.commands) {
    command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
    for (const sub of command.commands)
      sub.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  }
  return program;
}

/** Runs one `coachwire` invocation and returns its exit status; every failure is a message, never a stack. */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  try {
    await buildProgram(io).parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
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
    io.stderr(`coachwire${label}: ${(error as Error).message ?? String(error)}\n`);
    return EXIT_FAILURE;
  }
}
