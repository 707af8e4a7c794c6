import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { constants } from 'node:os';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CliSandbox, cliSandbox } from '../test-support/cli-run.js';
import { coachwireFromSource, ensureBuilt, isRunning, watchProcess } from '../test-support/processes.js';

/** The pids of `pid`'s children whose command line mentions `name` (Linux's /proc). */
function childrenRunning(pid: number, name: string): number[] {
  const listed = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  return listed === ''
    ? []
    : listed
        .split(' ')
        .map(Number)
        .filter((child) => readFileSync(`/proc/${child}/cmdline`, 'utf8').includes(name));
}

describe('coachwire deploy-commands, stopped mid-way', { timeout: 60_000 }, () => {
  let sandbox: CliSandbox;
  let server: Server | undefined;
  beforeAll(() => ensureBuilt(), 180_000);
  beforeEach(() => {
    sandbox = cliSandbox();
  });
  afterEach(async () => {
    server?.closeAllConnections();
    if (server) await new Promise((resolve) => server!.close(resolve));
    server = undefined;
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`stops the registration it started on ${signal} (timeout, docker stop, kill), leaving no process behind`, async () => {
      // A Discord REST API that takes the request and never answers: the registration is in flight.
      let requested!: () => void;
      const firstRequest = new Promise<void>((resolve) => {
        requested = resolve;
      });
      server = createServer(() => requested());
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;

      const cli = watchProcess(process.execPath, coachwireFromSource(['deploy-commands', '--guild', '123']), {
        cwd: sandbox.dir,
        env: {
          PATH: process.env.PATH ?? '',
          TZ: 'UTC',
          LOG_FILE: '',
          DATABASE_PATH: sandbox.databasePath,
          DISCORD_BOT_TOKEN: 'MTIz.not-a-real.token',
          DISCORD_API_URL: `http://127.0.0.1:${port}/api`,
        },
      });
      await firstRequest;
      const registration = childrenRunning(cli.child.pid!, 'deploy-commands.js');
      expect(registration).toHaveLength(1);

      cli.child.kill(signal);
      const { code } = await cli.exited;
      expect(code).toBe(128 + constants.signals[signal]);
      expect(cli.lines.join('\n')).toMatch(
        /^Fix: run `coachwire deploy-commands --guild 123` again to register them all\.$/m,
      );
      expect(isRunning(registration[0]!)).toBe(false);
    });
  }
});
