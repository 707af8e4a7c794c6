import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureBuilt,
  freePort,
  isolatedEnv,
  REPO_ROOT,
  type WatchedProcess,
  watchProcess,
} from './test-support/processes.js';

// A person's view: mock mode runs as its own process (the built bot, as `pnpm start` runs it without a token),
// and `coachwire say`, another process, talks to it through the file the mock leaves beside its database.
describe('coachwire say against a running mock', { timeout: 120_000 }, () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let bot: WatchedProcess | undefined;
  beforeAll(() => ensureBuilt(), 180_000);
  afterEach(() => {
    if (bot?.child.exitCode === null && bot.child.signalCode === null) bot.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs `coachwire <args>` to its end, as a separate process. */
  async function coachwire(
    ...args: string[]
  ): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const cli = watchProcess(process.execPath, [join(REPO_ROOT, 'apps/cli/dist/main.js'), ...args], {
      cwd: dir,
      env,
    });
    const stdout: string[] = [];
    const stderr: string[] = [];
    cli.child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk.toString()));
    cli.child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    const { code } = await cli.exited;
    return { code, stdout: stdout.join(''), stderr: stderr.join('') };
  }

  it("prints the bot's reply to the member 'you', says when none comes, and finds no mock once it stopped", async () => {
    dir = mkdtempSync(join(tmpdir(), 'coachwire-say-'));
    env = isolatedEnv(dir, await freePort(), { MOCK_MODE: 'true' });
    bot = watchProcess(process.execPath, [join(REPO_ROOT, 'apps/bot/dist/main.js'), '--mock'], {
      cwd: dir,
      env,
    });
    await bot.waitForLine(/bot running/);
    expect(existsSync(join(dir, 'data', 'emulator.json'))).toBe(true);

    const balance = await coachwire('say', '!balance');
    expect(balance.stderr).toBe('');
    expect(balance.code).toBe(0);
    expect(balance.stdout).toMatch(/^💰 You have \*\*[\d,]+ pts\*\*/);

    // Not a command: the bot ignores it, and the command ends on its own with a hint.
    const chat = await coachwire('say', 'good', 'morning', '--timeout', '1');
    expect(chat.code).toBe(1);
    expect(chat.stderr).toContain('The bot did not reply within 1 s.');
    expect(chat.stderr).toMatch(/^Fix: .*coachwire say '!help'/m);

    bot.child.kill('SIGINT');
    expect(await bot.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(join(dir, 'data', 'emulator.json'))).toBe(false);
    const after = await coachwire('say', '!balance');
    expect(after.code).toBe(1);
    expect(after.stderr).toMatch(/^Fix: start mock mode first: pnpm start without DISCORD_BOT_TOKEN/m);
  });
});
