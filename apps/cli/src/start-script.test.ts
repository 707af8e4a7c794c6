import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPostgres } from '@coachwire/storage';
import { createTestPgDatabase } from '@coachwire/storage/testing';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureBuilt,
  freePort,
  isolatedEnv,
  isRunning,
  pollUntil,
  REPO_ROOT,
  type WatchedProcess,
  watchProcess,
} from './test-support/processes.js';
import {
  planAuthorsOf,
  REAL_COACH_AUTHOR,
  writeDatabaseWithRealPlan,
} from './test-support/real-plan-database.js';

// `pnpm start` is `node scripts/start.mjs`; these run it as a person would, in its own process group.
describe('pnpm start', { timeout: 120_000 }, () => {
  let dir: string;
  let start: WatchedProcess | undefined;

  beforeAll(() => ensureBuilt(), 180_000);
  afterEach(async () => {
    if (start?.child.exitCode === null && start.child.signalCode === null && start.child.pid)
      process.kill(-start.child.pid, 'SIGKILL');
    for (const pid of start ? childPids(start) : []) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  /** Starts in mock mode with `node scripts/start.mjs`, or with `pnpm start` exactly as the README says. */
  async function startInMockMode(
    command: 'node' | 'pnpm' = 'node',
    extraEnv: Record<string, string> = {},
  ): Promise<{ base: string; api: number; bot: number }> {
    dir = mkdtempSync(join(tmpdir(), 'coachwire-start-'));
    const port = await freePort();
    const [executable, args] =
      command === 'pnpm' ? ['pnpm', ['start']] : [process.execPath, ['scripts/start.mjs']];
    start = watchProcess(executable, args, {
      cwd: REPO_ROOT,
      env: { ...isolatedEnv(dir, port), ...extraEnv },
      detached: true,
    });
    const [api, bot] = childPids(start, await start.waitForLine(/^\[start\] api pid \d+, bot pid \d+/));
    const base = `http://127.0.0.1:${port}`;
    await pollUntil(
      `${base}/health`,
      (status, body) => status === 200 && (body as { status?: string }).status === 'healthy',
    );
    return { base, api: api!, bot: bot! };
  }

  it('runs the API and the mock bot, serves mock plans, and stops both cleanly on SIGINT', async () => {
    // As a terminal's Ctrl-C does: SIGINT to the whole foreground group (pnpm, and the script pnpm runs).
    const { base, api, bot } = await startInMockMode('pnpm');
    expect(await start!.waitForLine(/MOCK MODE/)).toContain('Coachwire is running');
    expect(await start!.waitForLine(/Plans: /)).toContain(`${base}/api/coach-plans/all`);
    expect(await start!.waitForLine(/DISCORD_BOT_TOKEN/)).toContain('.env');
    // The simulated coaches post through the emulator; the API, a separate process, serves what the bot stored.
    const page = (await pollUntil(
      `${base}/api/v1/plans`,
      (status, body) => status === 200 && (body as { data: unknown[] }).data.length > 0,
    )) as { data: { trading_date: string }[] };
    const date = page.data[0]!.trading_date;
    const legacy = (await (await fetch(`${base}/api/coach-plans/all?date=${date}`)).json()) as object;
    expect(Object.keys(legacy).some((key) => key.startsWith('coach_'))).toBe(true);
    await start!.waitForLine(/^\[bot\] .*bot running/);
    expect(start!.lines.some((line) => line.startsWith('[api] '))).toBe(true);

    // Right after set-up, the README's alias for the operator CLI works (pnpm start builds the CLI too).
    const alias = /^alias coachwire=.*$/m.exec(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8'))?.[0];
    expect(alias).toBeDefined();
    const cli = spawnSync(
      'bash',
      ['-c', `shopt -s expand_aliases\n${alias}\ncoachwire --version\ncoachwire import`],
      {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      },
    );
    expect(cli.stdout).toMatch(/^\d+\.\d+\.\d+$/m);
    expect(cli.stderr).toContain("missing required argument 'source'");
    expect(cli.stderr).toMatch(/^Fix: run `coachwire import --help`/m);
    expect(cli.status).toBe(2);

    process.kill(-start!.child.pid!, 'SIGINT');
    expect(await start!.exited).toEqual({ code: 0, signal: null });
    expect(start!.lines.join('\n')).not.toContain('ELIFECYCLE');
    expect(isRunning(api)).toBe(false);
    expect(isRunning(bot)).toBe(false);
  });

  it('stops with status 0 and no ELIFECYCLE on a Ctrl-C before the apps start (while it builds)', async () => {
    // A first `pnpm start` builds for a while before printing anything of its own: a Ctrl-C then must end it
    // as cleanly as once the apps run, not kill node by the signal (pnpm: ELIFECYCLE, status 130).
    dir = mkdtempSync(join(tmpdir(), 'coachwire-start-'));
    start = watchProcess('pnpm', ['start'], {
      cwd: REPO_ROOT,
      env: isolatedEnv(dir, await freePort()),
      detached: true,
    });
    await start.waitForLine(/^\[start\] building the apps/);
    process.kill(-start.child.pid!, 'SIGINT');
    expect(await start.exited).toEqual({ code: 0, signal: null });
    const output = start.lines.join('\n');
    expect(output).toContain('[start] SIGINT: stopped before the apps started; nothing is running.');
    expect(output).not.toContain('ELIFECYCLE');
    expect(output).not.toMatch(/api pid/);
  });

  it('runs both apps on PostgreSQL when DATABASE_URL is set, without touching DATABASE_PATH or printing the password', async () => {
    const database = await createTestPgDatabase();
    try {
      const { base } = await startInMockMode('node', {
        DATABASE_URL: database.url,
        // Nobody can create this: with a URL set, no SQLite file may be opened.
        DATABASE_PATH: '/proc/coachwire/never/coach_plans.db',
      });
      await pollUntil(
        `${base}/api/v1/plans`,
        (status, body) => status === 200 && (body as { data: unknown[] }).data.length > 0,
      );
      await start!.waitForLine(/^\[bot\] .*bot running/);
      // What the bot posted went to PostgreSQL, where the API (another process) reads it.
      const handle = await openPostgres({ url: database.url, poolSize: 1 });
      try {
        const { rows } = await handle.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM plans');
        expect(rows[0]!.n).toBeGreaterThan(0);
      } finally {
        await handle.close();
      }
      // The banner says which database mock mode writes into, and that it is the configured one.
      const shown = await start!.waitForLine(/^\[start\]\s+Database: /);
      expect(shown).toContain(`postgres://postgres:***@127.0.0.1:${new URL(database.url).port}`);
      expect(await start!.waitForLine(/Mock mode writes its simulated plans/)).toContain(
        'into this database',
      );
      const output = start!.lines.join('\n');
      expect(output).toContain(`postgres://postgres:***@127.0.0.1:${new URL(database.url).port}`);
      expect(output).not.toContain(new URL(database.url).password);
      process.kill(-start!.child.pid!, 'SIGINT');
      expect(await start!.exited).toEqual({ code: 0, signal: null });
    } finally {
      await database.drop();
    }
  });

  it('keeps the API serving when the bot dies, says so, and still stops on SIGINT', async () => {
    const { base, api, bot } = await startInMockMode();
    process.kill(bot, 'SIGKILL');
    expect(await start!.waitForLine(/The bot stopped/)).toContain('signal SIGKILL');
    expect(await start!.waitForLine(/The API keeps serving/)).toContain(`${base}/api/coach-plans/all`);
    expect((await fetch(`${base}/api/v1/plans`)).status).toBe(200);
    expect(isRunning(api)).toBe(true);
    process.kill(-start!.child.pid!, 'SIGINT');
    // The run is not a success (the bot died), but everything stops.
    expect(await start!.exited).toEqual({ code: 128 + 9, signal: null });
    expect(isRunning(api)).toBe(false);
  });

  it('says the API keeps serving only once it answers, when the bot dies while the API is still starting', async () => {
    dir = mkdtempSync(join(tmpdir(), 'coachwire-start-'));
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    start = watchProcess(process.execPath, ['scripts/start.mjs'], {
      cwd: REPO_ROOT,
      env: isolatedEnv(dir, port),
      detached: true,
    });
    // Killed as soon as it is started: the API is still loading, not yet listening.
    const [api, bot] = childPids(start, await start.waitForLine(/^\[start\] api pid \d+, bot pid \d+/));
    process.kill(bot!, 'SIGKILL');
    expect(await start.waitForLine(/The bot stopped/)).toContain('signal SIGKILL');
    expect(await start.waitForLine(/The API keeps serving/)).toContain(`${base}/api/coach-plans/all`);
    // When it is said, it is true.
    expect((await fetch(`${base}/api/v1/plans`)).status).toBe(200);
    expect(start.lines.some((line) => line.includes('Coachwire is running'))).toBe(false);
    expect(isRunning(api!)).toBe(true);
    process.kill(-start.child.pid!, 'SIGINT');
    expect(await start.exited).toEqual({ code: 128 + 9, signal: null });
  });

  it('does not say the API keeps serving when the API fails too, e.g. both cannot write their log file', async () => {
    dir = mkdtempSync(join(tmpdir(), 'coachwire-start-'));
    const port = await freePort();
    // A log "directory" that is a file: both apps stop at startup; the order they stop in varies.
    writeFileSync(join(dir, 'not-a-dir'), '');
    start = watchProcess(process.execPath, ['scripts/start.mjs'], {
      cwd: REPO_ROOT,
      env: isolatedEnv(dir, port, { LOG_FILE: join(dir, 'not-a-dir', 'coachwire.log') }),
      detached: true,
    });
    const exited = await start.exited;
    expect(exited.code).not.toBe(0);
    const output = start.lines.join('\n');
    expect(output).toMatch(/api stopped unexpectedly|stopped with status/);
    expect(output).not.toContain('keeps serving');
    expect(output).not.toContain('Coachwire is running');
  });

  it('kills a process that does not stop on Ctrl-C after a grace period, leaving nothing behind', async () => {
    const { api, bot } = await startInMockMode();
    // A stopped process cannot act on SIGINT, like one stuck in a loop; only SIGKILL ends it.
    process.kill(bot, 'SIGSTOP');
    process.kill(-start!.child.pid!, 'SIGINT');
    expect(await start!.waitForLine(/did not stop within \d+ s; killing/)).toContain('bot');
    expect(await start!.exited).toEqual({ code: 1, signal: null });
    expect(isRunning(bot)).toBe(false);
    expect(isRunning(api)).toBe(false);
  });

  it('leaves nothing running when pnpm start itself is killed outright (SIGKILL, the OOM killer)', async () => {
    const { api, bot } = await startInMockMode();
    process.kill(start!.child.pid!, 'SIGKILL');
    expect(await start!.exited).toEqual({ code: null, signal: 'SIGKILL' });
    // Each app sees its channel to pnpm start close and stops as on SIGTERM, freeing the port.
    expect(await stoppedWithin(api, 30_000)).toBe(true);
    expect(await stoppedWithin(bot, 30_000)).toBe(true);
  });

  it('leaves nothing running when the pnpm process of `pnpm start` is killed outright', async () => {
    // `pnpm start &` then `kill -9 $!`: $! is pnpm's pid, not the start script's. pnpm can pass nothing on, so
    // the script must notice on its own that pnpm is gone, or it runs on with both apps, holding the port.
    const { base, api, bot } = await startInMockMode('pnpm');
    const script = parentPid(api);
    expect(parentPid(script)).toBe(start!.child.pid);
    process.kill(start!.child.pid!, 'SIGKILL');
    expect(await start!.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(await stoppedWithin(script, 30_000)).toBe(true);
    expect(await stoppedWithin(api, 30_000)).toBe(true);
    expect(await stoppedWithin(bot, 30_000)).toBe(true);
    await expect(fetch(`${base}/health`)).rejects.toThrow();
  });

  it('shows why the bot cannot reach Discord in /health, then keeps the API up when the bot gives up', async () => {
    dir = mkdtempSync(join(tmpdir(), 'coachwire-start-'));
    const port = await freePort();
    // A token and no route to Discord: its REST base is a loopback port nothing listens on (discard, 9).
    start = watchProcess(process.execPath, ['scripts/start.mjs'], {
      cwd: REPO_ROOT,
      env: isolatedEnv(dir, port, {
        DISCORD_BOT_TOKEN: 'not-a-real-token',
        DISCORD_API_URL: 'http://127.0.0.1:9/api',
        // Long enough a retry window that a slow, loaded machine still sees "retrying" before "failed".
        RECONNECT_ATTEMPTS: '3',
        RECONNECT_DELAY_SECONDS: '5',
      }),
      detached: true,
    });
    const [api, bot] = childPids(start, await start.waitForLine(/^\[start\] api pid \d+, bot pid \d+/));
    const base = `http://127.0.0.1:${port}`;
    const retrying = (await pollUntil(
      `${base}/health`,
      (status, body) => status === 200 && health(body).state === 'retrying',
    )) as unknown;
    expect(health(retrying)).toMatchObject({ status: 'disconnected', mock: false });
    expect(health(retrying).last_error).toContain('ECONNREFUSED');

    expect(await start.waitForLine(/Fix: .*network.*DNS.*proxy/)).toContain('DISCORD_BOT_TOKEN');
    expect(await start.waitForLine(/The API keeps serving/)).toContain(base);
    const failed = health(await pollUntil(`${base}/health`, (status) => status === 200));
    expect(failed).toMatchObject({ state: 'failed', last_error: expect.stringContaining('ECONNREFUSED') });
    expect(isRunning(bot!)).toBe(false);
    expect((await fetch(`${base}/api/v1/plans`)).status).toBe(200);

    process.kill(-start.child.pid!, 'SIGINT');
    expect((await start.exited).code).toBe(1);
    expect(isRunning(api!)).toBe(false);
  });

  it('refuses to start while another server holds its port, and starts nothing', async () => {
    dir = mkdtempSync(join(tmpdir(), 'coachwire-start-'));
    const port = await freePort();
    const other = createServer((_request, response) => response.end('{"status":"healthy"}'));
    await new Promise<void>((resolve) => other.listen(port, '127.0.0.1', resolve));
    try {
      start = watchProcess(process.execPath, ['scripts/start.mjs'], {
        cwd: REPO_ROOT,
        env: isolatedEnv(dir, port),
        detached: true,
      });
      expect((await start.exited).code).toBe(1);
    } finally {
      other.close();
    }
    const output = start.lines.join('\n');
    expect(output).toContain(`Port ${port} (127.0.0.1) is already in use`);
    expect(output).toMatch(/^Fix: .*API_PORT=/m);
    expect(output).not.toContain('pid');
    expect(output).not.toContain('Coachwire is running');
    expect(existsSync(join(dir, 'data'))).toBe(false);
  });

  // Root ignores mode bits, so these are paths nobody can write: under /proc (every mkdir answers ENOENT,
  // which once hung Node's recursive mkdir at full CPU), /proc itself, and a path below a file.
  it.each([
    [
      'an uncreatable directory',
      (_dir: string) => '/proc/coachwire/data/coach_plans.db',
      '/proc/coachwire/data (ENOENT)',
    ],
    [
      'an existing directory no file can be created in',
      (_dir: string) => '/proc/coach_plans.db',
      '/proc (ENOENT)',
    ],
    ['a path below a file', (dir: string) => join(blockingFile(dir), 'data', 'coach_plans.db'), '(ENOTDIR)'],
  ])(
    'fails at once with a Fix line and starts nothing when the database is in %s',
    async (_name, path, reason) => {
      dir = mkdtempSync(join(tmpdir(), 'coachwire-start-'));
      start = watchProcess(process.execPath, ['scripts/start.mjs'], {
        cwd: REPO_ROOT,
        env: isolatedEnv(dir, await freePort(), { DATABASE_PATH: path(dir) }),
        detached: true,
      });
      expect((await start.exited).code).toBe(1);
      const output = start.lines.join('\n');
      expect(output).toContain('Cannot write to the database directory');
      expect(output).toContain(reason);
      expect(output).toMatch(/^Fix: .*DATABASE_PATH/m);
      expect(output).not.toContain('pid');
    },
  );

  it('refuses an unknown argument with a Fix line, and reads --config after a -- separator', async () => {
    dir = mkdtempSync(join(tmpdir(), 'coachwire-start-'));
    const env = isolatedEnv(dir, await freePort());
    start = watchProcess(process.execPath, ['scripts/start.mjs', '--bogus'], {
      cwd: REPO_ROOT,
      env,
      detached: true,
    });
    expect((await start.exited).code).toBe(2);
    expect(start.lines.join('\n')).toContain("Unknown argument '--bogus'");
    expect(start.lines.join('\n')).toMatch(/^Fix: leave it out/m);
    const missing = join(dir, 'missing.yaml');
    start = watchProcess(process.execPath, ['scripts/start.mjs', '--', '--config', missing], {
      cwd: REPO_ROOT,
      env,
      detached: true,
    });
    expect((await start.exited).code).toBe(2);
    const output = start.lines.join('\n');
    expect(output).not.toContain('Unknown argument');
    expect(output).toContain(missing);
    expect(output).toMatch(/^Fix: check the file that --config/m);
  });

  it('fails at once with a Fix line naming a file when the database path is a directory', async () => {
    dir = mkdtempSync(join(tmpdir(), 'coachwire-start-'));
    const directory = join(dir, 'data');
    mkdirSync(directory);
    start = watchProcess(process.execPath, ['scripts/start.mjs'], {
      cwd: REPO_ROOT,
      env: isolatedEnv(dir, await freePort(), { DATABASE_PATH: directory }),
      detached: true,
    });
    expect((await start.exited).code).toBe(1);
    const output = start.lines.join('\n');
    expect(output).toContain(`The database path ${directory} is a directory, not a database file.`);
    expect(output).toContain(
      `Fix: point database.path (env DATABASE_PATH) at a file, e.g. ${join(directory, 'coach_plans.db')}`,
    );
    expect(output).not.toContain('pid');
  });

  it('will not run the mock, chosen for want of a token, on a database that holds real plans', async () => {
    dir = mkdtempSync(join(tmpdir(), 'coachwire-start-'));
    const path = join(dir, 'data', 'coach_plans.db');
    await writeDatabaseWithRealPlan(path);
    start = watchProcess(process.execPath, ['scripts/start.mjs'], {
      cwd: REPO_ROOT,
      env: isolatedEnv(dir, await freePort()),
      detached: true,
    });
    expect((await start.exited).code).toBe(1);
    const output = start.lines.join('\n');
    expect(output).toContain("already holds plans that are not the mock's. Nothing was started.");
    expect(output).toMatch(/^Fix: set DISCORD_BOT_TOKEN in \.env .*MOCK_MODE=true/m);
    expect(output).not.toContain('pid');
    expect(await planAuthorsOf(path)).toEqual([REAL_COACH_AUTHOR]);
  });

  it('reports every configuration problem once and starts nothing', async () => {
    dir = mkdtempSync(join(tmpdir(), 'coachwire-start-'));
    start = watchProcess(process.execPath, ['scripts/start.mjs'], {
      cwd: REPO_ROOT,
      env: isolatedEnv(dir, 5000, { API_PORT: 'not-a-port', LOG_LEVEL: 'loud' }),
      detached: true,
    });
    expect((await start.exited).code).toBe(2);
    const output = start.lines.join('\n');
    expect(output).toContain('Invalid configuration (2 problems)');
    expect(output).toMatch(/api\.port \(from env API_PORT\)/);
    expect(output).toMatch(/logging\.level \(from env LOG_LEVEL\)/);
    expect(output.match(/Invalid configuration/g)).toHaveLength(1);
    expect(output).toMatch(/^Fix: correct the keys listed above in \.env/m);
    expect(output).not.toContain('undefined');
    expect(output).not.toContain('pid');
  });
});

/** Whether `pid` has ended within `ms`, checked every 50 ms (another process's exit has no event here). */
async function stoppedWithin(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (isRunning(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

function health(body: unknown): Record<string, unknown> {
  return (body as { components: { discord_bot: Record<string, unknown> } }).components.discord_bot;
}

function blockingFile(dir: string): string {
  const file = join(dir, 'not-a-directory');
  writeFileSync(file, 'x');
  return file;
}

function childPids(
  process: WatchedProcess,
  line = process.lines.find((text) => text.includes(' pid ')) ?? '',
): number[] {
  const match = /api pid (\d+), bot pid (\d+)/.exec(line);
  return match ? [Number(match[1]), Number(match[2])] : [];
}

/** The parent's pid, from /proc (Linux, where these tests run). */
function parentPid(pid: number): number {
  return Number(/^PPid:\s+(\d+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
}
