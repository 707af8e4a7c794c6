import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

// `pnpm start` is `node scripts/start.mjs`; these run it as a person would, in its own process group.
describe('pnpm start', { timeout: 120_000 }, () => {
  let dir: string;
  let start: WatchedProcess | undefined;

  beforeAll(() => ensureBuilt(), 180_000);
  afterEach(async () => {
    if (start?.child.exitCode === null && start.child.pid) process.kill(-start.child.pid, 'SIGKILL');
    for (const pid of start ? childPids(start) : []) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  async function startInMockMode(): Promise<{ base: string; api: number; bot: number }> {
    dir = mkdtempSync(join(tmpdir(), 'coachwire-start-'));
    const port = await freePort();
    start = watchProcess(process.execPath, ['scripts/start.mjs'], {
      cwd: REPO_ROOT,
      env: isolatedEnv(dir, port),
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
    const { base, api, bot } = await startInMockMode();
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

    process.kill(-start!.child.pid!, 'SIGINT');
    expect(await start!.exited).toEqual({ code: 0, signal: null });
    expect(isRunning(api)).toBe(false);
    expect(isRunning(bot)).toBe(false);
  });

  it('stops the API and exits with the bot’s status when the bot dies', async () => {
    const { api, bot } = await startInMockMode();
    process.kill(bot, 'SIGKILL');
    expect(await start!.exited).toEqual({ code: 128 + 9, signal: null });
    expect(await start!.waitForLine(/bot stopped unexpectedly/)).toContain('SIGKILL');
    expect(isRunning(api)).toBe(false);
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
    expect(output).not.toContain('pid');
  });
});

function childPids(
  process: WatchedProcess,
  line = process.lines.find((text) => text.includes(' pid ')) ?? '',
): number[] {
  const match = /api pid (\d+), bot pid (\d+)/.exec(line);
  return match ? [Number(match[1]), Number(match[2])] : [];
}
