import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureBuilt,
  freePort,
  isolatedEnv,
  pollUntil,
  REPO_ROOT,
  type WatchedProcess,
  watchProcess,
} from './test-support/processes.js';

// How Docker Compose and systemd run Coachwire: two independent processes that share only the SQLite file.
describe('the API and the bot as separate processes', { timeout: 120_000 }, () => {
  let dir: string;
  const running: WatchedProcess[] = [];
  beforeAll(() => ensureBuilt(), 180_000);
  afterEach(() => {
    for (const process of running.splice(0))
      if (process.child.exitCode === null) process.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the API serving plans after the bot process is killed', async () => {
    dir = mkdtempSync(join(tmpdir(), 'coachwire-processes-'));
    const port = await freePort();
    const env = isolatedEnv(dir, port);
    const api = watchProcess(process.execPath, [join(REPO_ROOT, 'apps/api/dist/main.js')], { cwd: dir, env });
    const bot = watchProcess(process.execPath, [join(REPO_ROOT, 'apps/bot/dist/main.js'), '--mock'], {
      cwd: dir,
      env,
    });
    running.push(api, bot);
    const base = `http://127.0.0.1:${port}`;
    await bot.waitForLine(/bot running/);
    const page = (await pollUntil(
      `${base}/api/v1/plans`,
      (status, body) => status === 200 && (body as { data: unknown[] }).data.length > 0,
    )) as { data: { id: number; trading_date: string }[] };
    const url = `${base}/api/coach-plans/all?date=${page.data[0]!.trading_date}`;
    const before = (await (await fetch(url)).json()) as object;
    expect(Object.keys(before).length).toBeGreaterThan(0);

    bot.child.kill('SIGKILL');
    expect((await bot.exited).signal).toBe('SIGKILL');

    const after = (await pollUntil(url, (status) => status === 200)) as object;
    expect(Object.keys(after)).toEqual(Object.keys(before));
    const health = (await pollUntil(`${base}/health`, (status) => status === 200)) as {
      components: { database: { status: string } };
    };
    expect(health.components.database.status).toBe('up');

    api.child.kill('SIGINT');
    expect(await api.exited).toEqual({ code: 0, signal: null });
  });
});
