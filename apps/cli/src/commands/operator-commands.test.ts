import { mkdirSync, rmdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openDatabase, SqlitePlanRepository } from '@coachwire/storage';
import type { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { processIo } from '../cli-io.js';
import { buildProgram } from '../program.js';
import { type CliSandbox, cliSandbox } from '../test-support/cli-run.js';
import { botDeployScript } from './deploy-commands-command.js';

describe('coachwire mock, health, deploy-commands and bad input', () => {
  let sandbox: CliSandbox;
  let server: Server | undefined;
  beforeEach(() => {
    sandbox = cliSandbox();
  });
  afterEach(async () => {
    sandbox.remove();
    if (server) await new Promise((resolve) => server!.close(resolve));
    server = undefined;
  });

  async function healthServer(status: number, body: unknown): Promise<string> {
    server = createServer((_request, response) => {
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
  }

  it('fills the database with mock plans through the plan service, and leaves existing plans alone', async () => {
    const first = await sandbox.run('mock', '--days', '14');
    expect(first.status).toBe(0);
    const added = Number(/Added (\d+) mock plan/.exec(first.stdout)?.[1]);
    expect(added).toBeGreaterThanOrEqual(9 * 4);
    const handle = openDatabase({ path: sandbox.databasePath });
    try {
      const repository = new SqlitePlanRepository(handle);
      const stats = await repository.stats();
      expect(stats.totalPlans).toBe(added);
      expect(stats.totalEdits).toBeGreaterThan(0);
      expect((await repository.eventsAfter(0, 1000)).length).toBeGreaterThanOrEqual(added);
    } finally {
      handle.close();
    }
    expect((await sandbox.run('mock', '--days', '14')).stdout).toContain(`Added 0 mock plan(s)`);
  });

  it('exits 0 when /health says healthy', async () => {
    const url = await healthServer(200, { status: 'healthy', components: { database: { status: 'up' } } });
    const result = await sandbox.run('health', '--url', url);
    expect(result).toMatchObject({ status: 0, stderr: '' });
    expect(result.stdout).toContain('healthy (database up)');
  });

  it('with --require, exits 1 unless that component is up too', async () => {
    const url = await healthServer(200, {
      status: 'healthy',
      components: { database: { status: 'up' }, discord_bot: { status: 'disconnected' } },
    });
    expect((await sandbox.run('health', '--url', url)).status).toBe(0);
    const bot = await sandbox.run('health', '--url', url, '--require', 'discord_bot');
    expect(bot.status).toBe(1);
    expect(bot.stderr).toContain('unhealthy: discord_bot is disconnected');
    expect((await sandbox.run('health', '--url', url, '--require', 'database')).status).toBe(0);
    // Each --require counts, whichever comes last: the bot's being down is not hidden by a second one.
    for (const order of [
      ['discord_bot', 'database'],
      ['database', 'discord_bot'],
    ]) {
      const both = await sandbox.run('health', '--url', url, ...order.flatMap((name) => ['--require', name]));
      expect(both.status, order.join(' ')).toBe(1);
      expect(both.stderr).toContain('unhealthy: discord_bot is disconnected');
    }
  });

  it('exits 1 with the reason on stderr when /health says unhealthy or nothing answers', async () => {
    const url = await healthServer(503, {
      status: 'unhealthy',
      components: { database: { status: 'down' } },
    });
    const unhealthy = await sandbox.run('health', '--url', url);
    expect(unhealthy.status).toBe(1);
    expect(unhealthy.stderr).toContain('unhealthy (database down)');
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    const unreachable = await sandbox.run('health', '--url', url);
    expect(unreachable.status).toBe(1);
    expect(unreachable.stderr).toContain(`cannot reach ${url}`);
    expect(unreachable.stderr).toContain('Fix: start the API');
  });

  it('refuses to register commands without a token, before contacting Discord', async () => {
    const result = await sandbox.run('deploy-commands', '--guild', '123');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Fix: set DISCORD_BOT_TOKEN in .env');
    const badGuild = await sandbox.run('deploy-commands', '--guild', 'my-server');
    expect(badGuild.status).toBe(2);
    expect(badGuild.stderr).toContain('must be a Discord guild id');
  });

  it('names in its help exactly the top-level slash commands the bot registers', async () => {
    // Apps never import each other, so the bot's registry is read from its source, as the bot's tests do.
    const registry = join(import.meta.dirname, '..', '..', '..', 'bot', 'src', 'commands', 'registry.ts');
    const { slashCommandData } = (await import(pathToFileURL(registry).href)) as {
      slashCommandData(): { name: string }[];
    };
    const registered = slashCommandData().map((command) => `/${command.name}`);
    const help = await sandbox.run('deploy-commands', '--help');
    expect(help.status).toBe(0);
    const listed =
      /slash commands \(([^)]*)\)/.exec(help.stdout.replace(/\s+/g, ' '))?.[1]?.split(', ') ?? [];
    expect([...listed].sort()).toEqual([...registered].sort());
  });

  it('finds the bot’s registration script beside the CLI, as in the repository and the image', () => {
    expect(botDeployScript()).toBe(
      join(import.meta.dirname, '..', '..', '..', 'bot', 'dist', 'deploy-commands.js'),
    );
  });

  it('turns bad configuration and bad usage into exit 2 with a message, never a stack trace', async () => {
    const badConfig = cliSandbox({ API_PORT: '99999', LOG_LEVEL: 'chatty' });
    try {
      const result = await badConfig.run('db', 'migrate');
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('Invalid configuration (2 problems)');
      expect(result.stderr).not.toMatch(/\n\s+at /);
    } finally {
      badConfig.remove();
    }
    const missingFile = await sandbox.run('--config', 'nope.yaml', 'db', 'migrate');
    expect(missingFile.status).toBe(2);
    expect(missingFile.stderr).toContain('(config file)');
    expect(missingFile.stderr).toMatch(
      /^Fix: check the file that --config or COACHWIRE_CONFIG names: it must exist/m,
    );
    expect(missingFile.stderr).not.toContain('correct the keys listed above');
    const unknown = await sandbox.run('frobnicate');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    expect((await sandbox.run('mock', '--days', '0')).status).toBe(2);
    expect((await sandbox.run('import')).stderr).toContain("missing required argument 'source'");
  });

  it('refuses a .env that is a directory (as a Docker bind mount of a missing file makes) with exit 2 and its Fix', async () => {
    mkdirSync(join(sandbox.dir, '.env'));
    const result = await sandbox.run('db', 'migrate');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      '.env (from file .env): expected a readable file of KEY=value lines (EISDIR)',
    );
    expect(result.stderr).toMatch(/^Fix: make \.env in the current directory a file of KEY=value lines/m);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    // Doing what the Fix says: without it, the environment alone configures the command.
    rmdirSync(join(sandbox.dir, '.env'));
    expect((await sandbox.run('db', 'migrate')).status).toBe(0);
  });

  it('ends every usage error with a Fix line naming the help to read', async () => {
    const missing = await sandbox.run('import');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^Fix: run `coachwire import --help` for its usage and an example\.$/m);
    const unknownOption = await sandbox.run('db', 'backup', '--frobnicate', 'x.db');
    expect(unknownOption.status).toBe(2);
    expect(unknownOption.stderr).toMatch(
      /unknown option '--frobnicate'\nFix: run `coachwire db backup --help`/,
    );
    expect((await sandbox.run('frobnicate')).stderr).toMatch(/^Fix: run `coachwire --help`/m);
  });

  it('shows an example in the help of every command, as the Fix line of its usage errors promises', async () => {
    const paths: string[][] = [[]];
    const walk = (command: Command, path: string[]) => {
      for (const sub of command.commands) {
        if (sub.name() === 'help') continue;
        paths.push([...path, sub.name()]);
        walk(sub, [...path, sub.name()]);
      }
    };
    walk(buildProgram(processIo()), []);
    expect(paths.length).toBeGreaterThan(10);
    for (const path of paths) {
      const help = await sandbox.run(...path, '--help');
      expect(help.status, path.join(' ')).toBe(0);
      // The example runs the command itself (or, for a group, one of its commands).
      expect(help.stdout, path.join(' ')).toMatch(
        new RegExp(`\\nExample:\\n {2}(\\S+=\\S+ )?coachwire ${path.join(' ')}\\b`),
      );
    }
  });

  it('without a command (or subcommand), prints the usage with exit 2 and a Fix line; asked-for help is exit 0', async () => {
    // The example is one of the group's own commands: `coachwire charts` suggests no `db` command.
    for (const [argv, example] of [
      [[], 'coachwire db check'],
      [['db'], 'coachwire db check'],
      [['charts'], 'coachwire charts verify'],
    ] as const) {
      const bare = await sandbox.run(...argv);
      expect(bare.status, argv.join(' ')).toBe(2);
      expect(bare.stderr).toContain(`Usage: ${['coachwire', ...argv].join(' ')} [options] [command]`);
      expect(bare.stderr).toMatch(new RegExp(`^Fix: add a command, e\\.g\\. \`${example}\``, 'm'));
    }
    for (const argv of [['--help'], ['help'], ['db', '--help'], ['help', 'db']]) {
      const asked = await sandbox.run(...argv);
      expect(asked.status, argv.join(' ')).toBe(0);
      expect(asked.stdout).toContain('Usage: coachwire');
    }
    // Help on a command that does not exist names it, with where the list is.
    for (const [argv, listing] of [
      [['help', 'bogus'], 'coachwire help'],
      [['charts', 'help', 'bogus'], 'coachwire charts help'],
    ] as const) {
      const unknown = await sandbox.run(...argv);
      expect(unknown.status, argv.join(' ')).toBe(2);
      expect(unknown.stderr).toContain("coachwire: there is no command 'bogus' to describe.");
      expect(unknown.stderr).toContain(`Fix: \`${listing}\` lists the commands.`);
    }
  });

  it('prints its version', async () => {
    for (const flag of ['--version', '-V']) {
      const result = await sandbox.run(flag);
      expect(result).toMatchObject({ status: 0, stderr: '' });
      expect(result.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    }
  });

  it('fails at once with a Fix line when the database directory cannot be created', async () => {
    const unwritable = cliSandbox({ DATABASE_PATH: '/proc/coachwire/data/coach_plans.db' });
    try {
      const result = await unwritable.run('db', 'migrate');
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('/proc/coachwire: ENOENT');
      expect(result.stderr).toMatch(/^Fix: .*DATABASE_PATH/m);
    } finally {
      unwritable.remove();
    }
  });
});
