import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  declaredExampleDependencies,
  exampleFiles,
  importedPackages,
} from './test-support/example-runner.js';
import {
  ensureBuilt,
  freePort,
  isolatedEnv,
  pollUntil,
  REPO_ROOT,
  type WatchedProcess,
  watchProcess,
} from './test-support/processes.js';

const run = promisify(execFile);
/** The API key the market example writes with; the API knows only its SHA-256 (from COACHWIRE_CONFIG). */
const EXAMPLE_API_KEY = 'cw_examples_key_4c2a';

// Each example in examples/ runs here exactly as the README says: `node examples/<name>.mjs` from the checkout,
// resolving its imports through the workspace like a reader's run does, against a real API and mock bot.
describe('the examples', { timeout: 120_000 }, () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let base: string;
  const running: WatchedProcess[] = [];

  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'coachwire-examples-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const configPath = join(dir, 'config.yaml');
    const sha256 = createHash('sha256').update(EXAMPLE_API_KEY).digest('hex');
    writeFileSync(configPath, `api:\n  keys:\n    - { name: examples, sha256: "${sha256}" }\n`);
    env = { ...isolatedEnv(dir, port), COACHWIRE_API_URL: base, COACHWIRE_CONFIG: configPath };
    running.push(
      watchProcess(process.execPath, [join(REPO_ROOT, 'apps/api/dist/main.js')], { cwd: dir, env }),
    );
    const bot = watchProcess(process.execPath, [join(REPO_ROOT, 'apps/bot/dist/main.js'), '--mock'], {
      cwd: dir,
      env,
    });
    running.push(bot);
    await bot.waitForLine(/bot running/);
    await pollUntil(`${base}/health`, (status) => status === 200);
  }, 180_000);
  afterAll(() => {
    for (const process of running) if (process.child.exitCode === null) process.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  const example = (name: string, extraEnv: NodeJS.ProcessEnv = {}) =>
    run(process.execPath, [`examples/${name}`], {
      cwd: REPO_ROOT,
      env: { ...env, ...extraEnv },
      encoding: 'utf8',
    });
  const grant = (userId: string, amount: number, reason: string) =>
    fetch(`${base}/api/v1/guilds/900000000000000001/users/${userId}/grants`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${EXAMPLE_API_KEY}`,
        'content-type': 'application/json',
        'idempotency-key': `grant-${userId}-${amount}-${Date.now()}`,
      },
      body: JSON.stringify({ amount, reason }),
    });
  const balanceOf = async (userId: string): Promise<number> =>
    (
      (await (await fetch(`${base}/api/v1/guilds/900000000000000001/users/${userId}`)).json()) as {
        balance: number;
      }
    ).balance;

  it('covers every file in examples/', () => {
    expect(exampleFiles().sort()).toEqual([
      'fetch-plans-with-client.mjs',
      'follow-a-market.mjs',
      'monitor-health-and-metrics.mjs',
      'post-plan-through-emulator.mjs',
      'subscribe-to-plan-events.mjs',
    ]);
  });

  it('declares every package an example imports, so pnpm links it for examples/', () => {
    const declared = declaredExampleDependencies();
    for (const name of exampleFiles())
      for (const imported of importedPackages(name))
        expect(declared, `${name} imports ${imported}`).toContain(imported);
  });

  it('posts a plan through the emulator and the real bot, without warnings', async () => {
    const { stdout, stderr } = await example('post-plan-through-emulator.mjs', {
      DATABASE_PATH: join(dir, 'emulator-example.db'),
      CHARTS_DIR: join(dir, 'example-charts'),
    });
    expect(stdout).toMatch(/Stored plan \d+ for coach d on \d{4}-\d{2}-\d{2} with 1 chart\(s\)/);
    expect(stdout).toContain('SPY bullish above 472');
    // Only the example's own lines: no log lines (a refused chart host used to print a JSON warning).
    expect(`${stdout}${stderr}`).not.toMatch(/^\{/m);
  });

  it('replaces its own plan when the emulator example runs again on the same database', async () => {
    const againEnv = {
      DATABASE_PATH: join(dir, 'emulator-twice.db'),
      CHARTS_DIR: join(dir, 'emulator-twice-charts'),
    };
    const stored = (stdout: string) =>
      /^Stored plan (\d+) for coach d on (\S+) with 1 chart\(s\)(, replacing the day's earlier plan)?:$/m.exec(
        stdout,
      );
    const first = await example('post-plan-through-emulator.mjs', againEnv);
    // The second coach_dan is the same Discord user as the first, so the bot lets them replace their plan.
    const second = await example('post-plan-through-emulator.mjs', againEnv);
    expect(second.stdout).not.toContain('⚠️');
    expect(second.stdout).toMatch(/^The bot replied: "✅ /m);
    const [, firstId, firstDate, firstReplacing] = stored(first.stdout) ?? [];
    const [, secondId, secondDate, secondReplacing] = stored(second.stdout) ?? [];
    expect(firstReplacing).toBeUndefined();
    expect(secondId).toBeDefined();
    // Unless the trading day turned between the runs, the second replaced the first's plan.
    if (secondDate === firstDate) {
      expect(secondId).toBe(firstId);
      expect(second.stdout).toContain("✅ Replaced Coach D (Day Trading)'s plan");
      expect(secondReplacing).toBeDefined();
    }
  });

  it('exits 1 with a Fix line, printing no plan, when the bot refuses the emulator example', async () => {
    // Coach d restricted to a role coach_dan lacks: the bot refuses the post.
    const restricted = join(dir, 'coach-d-restricted.yaml');
    writeFileSync(
      restricted,
      'coaches:\n  - { id: d, name: "Coach D (Day Trading)", role_ids: ["111111111111111111"], user_ids: [] }\n',
    );
    const failed = await example('post-plan-through-emulator.mjs', {
      COACHWIRE_CONFIG: restricted,
      DATABASE_PATH: join(dir, 'emulator-refused.db'),
      CHARTS_DIR: join(dir, 'emulator-refused-charts'),
    }).then(
      () => undefined,
      (error: { code?: number; stdout?: string; stderr?: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stdout).toMatch(/^The bot replied: "⚠️ Only members with a role allowed/m);
    expect(failed?.stdout).not.toContain('Stored plan');
    expect(failed?.stderr).toMatch(/^The bot refused the plan, so nothing was stored: ⚠️ Only members/m);
    expect(failed?.stderr).toMatch(/^Fix: .*COACHWIRE_CONFIG/m);
    expect(failed?.stderr).not.toMatch(/\bat [#\w.]+ \(/);
  });

  it('fetches the mock plans with the client', async () => {
    const { stdout } = await example('fetch-plans-with-client.mjs');
    const total = Number(/(\d+) plan\(s\) in all/.exec(stdout)?.[1]);
    expect(total).toBeGreaterThan(0);
    expect(stdout).toMatch(/\d{4}-\d{2}-\d{2} coach [dins]: /);
  });

  it('opens a market, bets on it and prints the price as the trade arrives', async () => {
    const { stdout } = await example('follow-a-market.mjs', {
      COACHWIRE_API_KEY: EXAMPLE_API_KEY,
      EXAMPLE_MAX_EVENTS: '1',
    });
    expect(stdout).toMatch(/^opened market \d+: Will SPY close green tomorrow\? \(50\.0% YES\)$/m);
    expect(stdout).toMatch(/^bet 50 points for \d+\.\d\d shares; balance 950$/m);
    expect(stdout).toMatch(/^trade: buy 50 points on option 0; now (5[1-9]|[6-9]\d)\.\d% YES$/m);
  });

  it('says how to grant points, instead of a stack trace, when the market example has spent them', async () => {
    // About ten runs spend the example creator's points on subsidies; empty its balance at once instead.
    const drain = await grant('example-creator', -(await balanceOf('example-creator')), 'test: spent');
    expect(drain.status, await drain.clone().text()).toBe(201);
    const failed = await example('follow-a-market.mjs', { COACHWIRE_API_KEY: EXAMPLE_API_KEY }).then(
      () => undefined,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain('example-creator cannot pay another market');
    expect(failed?.stderr).toMatch(/^Fix: grant it points/m);
    expect(failed?.stderr).not.toMatch(/\bat [#\w.]+ \(/);
    // Granting as the Fix says (the same request, sent with fetch) lets the next run open its market again.
    const granted = await grant('example-creator', 1000, 'examples');
    expect(granted.status).toBe(201);
    const { stdout } = await example('follow-a-market.mjs', {
      COACHWIRE_API_KEY: EXAMPLE_API_KEY,
      EXAMPLE_MAX_EVENTS: '1',
    });
    expect(stdout).toMatch(/^opened market \d+/m);
  });

  it('tells how to get an API key, instead of a stack trace, when the market example has none', async () => {
    const failed = await example('follow-a-market.mjs', { COACHWIRE_API_KEY: '' }).then(
      () => undefined,
      (error: { code?: number; stdout?: string; stderr?: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toMatch(/^Fix: give the API a key/m);
    expect(failed?.stderr).not.toMatch(/\bat [#\w.]+ \(/);
    expect(failed?.stdout).toBe('');
  });

  it.each(['fetch-plans-with-client.mjs', 'monitor-health-and-metrics.mjs', 'follow-a-market.mjs'])(
    '%s says the API cannot be reached, with a Fix line instead of a stack trace, when nothing listens there',
    async (name) => {
      // The usual first mistake: pnpm start not running, or running on another port than COACHWIRE_API_URL's.
      const closed = `http://127.0.0.1:${await freePort()}`;
      const failed = await example(name, {
        COACHWIRE_API_URL: closed,
        COACHWIRE_API_KEY: EXAMPLE_API_KEY,
      }).then(
        () => undefined,
        (error: { code?: number; stdout?: string; stderr?: string }) => error,
      );
      expect(failed?.code).toBe(1);
      expect(failed?.stderr).toContain(`Cannot reach the Coachwire API at ${closed}`);
      expect(failed?.stderr).toMatch(
        /^Fix: start it \(pnpm start prints its address\) or set COACHWIRE_API_URL/m,
      );
      expect(failed?.stderr).not.toMatch(/\bat [#\w.]+ \(/);
      // The legacy call's empty answer is the client's fallback, not "no plans today".
      if (name.startsWith('fetch')) expect(failed?.stdout).toContain("the client's fallback");
    },
  );

  it('subscribe-to-plan-events.mjs claims no subscription while nothing listens, and says once how to fix it', async () => {
    // It follows the API through restarts, so it keeps trying; but "subscribed" before any connection misled.
    const closed = `http://127.0.0.1:${await freePort()}`;
    const subscriber = watchProcess(process.execPath, ['examples/subscribe-to-plan-events.mjs'], {
      cwd: REPO_ROOT,
      env: { ...env, COACHWIRE_API_URL: closed },
    });
    running.push(subscriber);
    expect(await subscriber.waitForLine(/^Fix: /)).toMatch(
      /^Fix: start it \(pnpm start prints its address\) or set COACHWIRE_API_URL/,
    );
    // Two more failed attempts after it, and still no second Fix line nor any claim to be subscribed.
    const more = createInterface({ input: subscriber.child.stderr! });
    await new Promise<void>((resolve) => {
      let count = 0;
      more.on('line', (line) => {
        if (line.includes('connection problem') && ++count === 2) resolve();
      });
    });
    more.removeAllListeners('line');
    expect(subscriber.lines.filter((line) => line.startsWith('Fix: '))).toHaveLength(1);
    expect(subscriber.lines.join('\n')).not.toMatch(/subscribed/);
    subscriber.child.kill('SIGINT');
    expect((await subscriber.exited).code).toBe(0);
  });

  it.each(['fetch-plans-with-client.mjs', 'monitor-health-and-metrics.mjs', 'follow-a-market.mjs'])(
    '%s says the server is not the Coachwire API, with a Fix line instead of a stack trace, when another answers',
    async (name) => {
      // Another program on COACHWIRE_API_URL's port (pnpm start moved to API_PORT=5001 as its Fix suggests, the
      // old Flask server, ...): it answers 404 with an HTML page to everything the example asks.
      const other = createServer((_request, response) => {
        response.writeHead(404, { 'content-type': 'text/html' });
        response.end('<h1>Not Found</h1>');
      });
      await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
      try {
        const failed = await example(name, {
          COACHWIRE_API_URL: url,
          COACHWIRE_API_KEY: EXAMPLE_API_KEY,
        }).then(
          () => undefined,
          (error: { code?: number; stdout?: string; stderr?: string }) => error,
        );
        expect(failed?.code).toBe(1);
        expect(failed?.stderr).toContain(`The server at ${url} is not the Coachwire API (HTTP 404)`);
        expect(failed?.stderr).toMatch(/^Fix: set COACHWIRE_API_URL to the address pnpm start prints/m);
        expect(failed?.stderr).not.toMatch(/\bat [#\w.]+ \(/);
      } finally {
        await new Promise((resolve) => other.close(resolve));
      }
    },
  );

  it('says the API refused the key, with a Fix line instead of a stack trace, when the market example has a wrong one', async () => {
    const failed = await example('follow-a-market.mjs', { COACHWIRE_API_KEY: 'not-the-key' }).then(
      () => undefined,
      (error: { code?: number; stdout?: string; stderr?: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toMatch(/^The Coachwire API at \S+ refused the request \(HTTP 401\): /m);
    expect(failed?.stderr).toMatch(/^Fix: .*COACHWIRE_API_KEY.*API_KEY_SHA256/m);
    expect(failed?.stderr).not.toMatch(/\bat [#\w.]+ \(/);
  });

  it('reports health and metrics', async () => {
    const { stdout } = await example('monitor-health-and-metrics.mjs');
    expect(stdout).toContain('status: healthy');
    expect(stdout).toContain('database: up');
    expect(stdout).toMatch(/metrics: \d+ samples/);
  });

  it('prints live plan events, including those of plans the CLI writes', async () => {
    const subscriber = watchProcess(process.execPath, ['examples/subscribe-to-plan-events.mjs'], {
      cwd: REPO_ROOT,
      env: { ...env, EXAMPLE_MAX_EVENTS: '1' },
    });
    running.push(subscriber);
    await subscriber.waitForLine(/subscribed/);
    // A change made by another process reaches the subscriber through the database's event log.
    const cli = await run(
      process.execPath,
      [join(REPO_ROOT, 'apps/cli/dist/main.js'), 'mock', '--days', '30'],
      {
        cwd: dir,
        env,
        encoding: 'utf8',
      },
    );
    expect(cli.stdout).toMatch(/Added [1-9]\d* mock plan/);
    expect(
      await subscriber.waitForLine(/^plan\.(created|updated) plan \d+: coach [dins], \d{4}-\d{2}-\d{2}$/),
    ).toBeTruthy();
    expect((await subscriber.exited).code).toBe(0);
  });
});
