import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { type GlobalOptions, loadCliConfig } from '../cli-config.js';
import { CliError, type CliIo, EXIT_USAGE } from '../cli-io.js';
import { passStopSignalsTo, signalExitStatus } from '../stop-signals.js';

/**
 * The bot's own registration script. Apps never import each other, so the CLI runs the bot's script instead of
 * importing its code; the repository and the Docker image both keep the apps side by side under apps/.
 */
export function botDeployScript(from = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  while (dir !== dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === '@coachwire/cli'
    )
      return join(dir, '..', 'bot', 'dist', 'deploy-commands.js');
    dir = dirname(dir);
  }
  return join(dirname(from), '..', '..', 'bot', 'dist', 'deploy-commands.js');
}

/**
 * `coachwire deploy-commands [--guild ID]`: registers the bot's slash commands with Discord. The names in the
 * description are the bot's top-level commands (its slashCommandData); operator-commands.test.ts keeps them in step.
 */
export function registerDeployCommandsCommand(program: Command, io: CliIo): void {
  program
    .command('deploy-commands')
    .description(
      "Register the bot's slash commands (/plan, /market, /points, /portfolio, /coach) with Discord: " +
        'in one guild (instant) or globally (up to an hour).',
    )
    .option('--guild <id>', 'register in this guild only (for testing a new bot)')
    .action(async (options: { guild?: string }) => {
      if (options.guild !== undefined && !/^\d{1,25}$/.test(options.guild))
        throw new CliError(
          `--guild must be a Discord guild id (digits), got '${options.guild}'.`,
          'copy it from Discord with developer mode on (right-click the server → Copy Server ID).',
          EXIT_USAGE,
        );
      const globals = program.opts<GlobalOptions>();
      const config = loadCliConfig(globals, io);
      if (config.discord.token.trim() === '')
        throw new CliError(
          'No Discord bot token is configured.',
          'set DISCORD_BOT_TOKEN in .env (or discord.token in the --config file).',
          EXIT_USAGE,
        );
      const script = botDeployScript();
      if (!existsSync(script))
        throw new CliError(
          `The bot is not built: ${script} is missing.`,
          'run `pnpm build` (or use the Docker image, which has it).',
        );
      const args = [
        script,
        ...(options.guild ? ['--guild', options.guild] : []),
        ...(globals.config ? ['--config', globals.config] : []),
      ];
      const { status, signal } = await runNode(args, io);
      if (signal !== null)
        throw new CliError(
          `Stopped by ${signal} while registering the commands; some may be registered already.`,
          `run \`coachwire deploy-commands${options.guild ? ` --guild ${options.guild}` : ''}\` again to register them all.`,
          signalExitStatus(signal),
        );
      if (status !== 0)
        throw new CliError(
          `Registering the commands failed (status ${status}); the reason is above.`,
          undefined,
          status,
        );
    });
}

/** Runs node with `args` and resolves with how it ended; a signal that stops this process is passed on. */
function runNode(
  args: readonly string[],
  io: CliIo,
): Promise<{ status: number; signal: NodeJS.Signals | null }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: io.cwd,
      env: { ...io.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stopPassingOn = passStopSignalsTo(child);
    child.stdout.setEncoding('utf8').on('data', io.stdout);
    child.stderr.setEncoding('utf8').on('data', io.stderr);
    child.on('error', (error) => {
      stopPassingOn();
      reject(error);
    });
    child.on('close', (code, signal) => {
      stopPassingOn();
      resolvePromise({ status: code ?? 1, signal });
    });
  });
}
