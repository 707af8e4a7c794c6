import { once } from 'node:events';
import path from 'node:path';
import { DiscordEmulator } from '@coachwire/discord-emulator';
import { BotStatusStore, countPlans, openDatabase } from '@coachwire/storage';
import { afterAll, describe, expect, it } from 'vitest';
import { BotProcesses, collectStderr, waitForLogLine } from '../test-support/bot-process.js';

const processes = new BotProcesses();
afterAll(() => processes.cleanUp());

describe('the bot process', () => {
  it('in mock mode posts plans through the emulator, then on SIGTERM finishes, marks itself disconnected and exits 0', async () => {
    const { databasePath, configPath } = processes.files('mock:\n  simulate_posts: false\n');
    const child = processes.spawn(['--config', configPath, '--mock'], {
      NODE_ENV: 'production',
      DISCORD_BOT_TOKEN: '',
      MOCK_MODE: '',
    });
    const running = await waitForLogLine(child, 'bot running');
    expect(running.mock).toBe(true);

    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(0);

    const database = openDatabase({ path: databasePath });
    try {
      const status = await new BotStatusStore(database).read();
      expect(status?.connected).toBe(false);
      expect(status?.mock).toBe(true);
      // The backlog always holds weekdays, whatever day the test runs.
      expect(countPlans(database)).toBeGreaterThan(0);
    } finally {
      database.close();
    }
  });

  it('honours a SIGINT that arrives while it is still starting, and exits 0', async () => {
    const dir = processes.tempDir('coachwire-bot-early-');
    const databasePath = path.join(dir, 'plans.db');
    const child = processes.spawn(['--mock'], {
      NODE_ENV: 'production',
      DISCORD_BOT_TOKEN: '',
      DATABASE_PATH: databasePath,
      // Else mock mode archives its charts into apps/bot/data/mock/charts, in the source tree.
      CHARTS_DIR: path.join(dir, 'charts'),
      LOG_FILE: '',
      LOG_LEVEL: 'info',
    });
    // Startup is still under way here: the database is open, the emulator and login come next.
    await waitForLogLine(child, 'startup checks passed');
    const exited = once(child, 'exit');
    child.kill('SIGINT');
    const [code, signal] = await exited;
    expect(signal).toBeNull();
    expect(code).toBe(0);
  });

  it('stops after its grace period when a reply is stuck behind a long Discord rate limit, and exits 0', async () => {
    const stuck = await startBotWithStuckReply(0.2);
    try {
      const exited = once(stuck.child, 'exit');
      stuck.child.kill('SIGTERM');
      const [code] = await exited;
      expect(code).toBe(0);
      expect((await stuck.status())?.state).toBe('stopped');
    } finally {
      await stuck.close();
    }
  });

  it('stops at once, with status 1, on a second stop signal while a reply is stuck', async () => {
    const stuck = await startBotWithStuckReply(3600);
    try {
      const stopping = waitForLogLine(stuck.child, 'stopping: finishing commands in flight');
      const exited = once(stuck.child, 'exit');
      stuck.child.kill('SIGTERM');
      await stopping;
      // Another signal than the first: never the same Ctrl-C delivered twice.
      stuck.child.kill('SIGINT');
      const [code, signal] = await exited;
      expect(signal).toBeNull();
      expect(code).toBe(1);
    } finally {
      await stuck.close();
    }
  });

  it('exits 2 with the problem named when the configuration is invalid', async () => {
    const { code, stderr } = await runBotToExit([], { API_PORT: 'not-a-port', MOCK_MODE: 'true' });
    expect(code).toBe(2);
    expect(stderr).toContain('api.port');
  });

  it('exits 2 with a Fix line saying where the token goes when there is none and mock mode is off', async () => {
    const { code, stderr } = await runBotToExit([], { DISCORD_BOT_TOKEN: '', MOCK_MODE: 'false' });
    expect(code).toBe(2);
    expect(stderr).toContain('discord.token');
    expect(stderr).toMatch(/^Fix: set DISCORD_BOT_TOKEN in \.env/m);
  });

  it('exits 2 with the flag named and a Fix line on an unknown flag', async () => {
    const { code, stderr } = await runBotToExit(['--mokc'], { MOCK_MODE: 'true' });
    expect(code).toBe(2);
    expect(stderr).toContain("Unknown argument '--mokc'");
    expect(stderr).toContain('Fix: ');
  });
});

/** Runs the bot from source with `args` and `env` over this process's environment, until it exits. */
async function runBotToExit(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stderr: string }> {
  const child = processes.spawn(args, env);
  const stderr = collectStderr(child);
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stderr: stderr.text };
}

/**
 * The bot run from source against an emulator standing in for Discord, answering a `!help` whose reply Discord
 * rate-limits for an hour: a command in flight that will not finish by itself.
 */
async function startBotWithStuckReply(graceSeconds: number) {
  const emu = await DiscordEmulator.start();
  const guild = emu.createGuild({ name: 'Stuck Traders' });
  const channel = emu.createChannel(guild.id, { name: 'trading-plans' });
  const member = emu.createUser({ username: 'member' });
  emu.addMember(guild.id, member.id, {});
  const { databasePath, configPath } = processes.files(
    `discord:\n  reconnect_attempts: 0\napi:\n  shutdown_timeout_seconds: ${graceSeconds}\n`,
  );
  const child = processes.spawn(['--config', configPath], {
    NODE_ENV: 'production',
    DISCORD_BOT_TOKEN: emu.botToken,
    DISCORD_API_URL: emu.restUrl,
    MOCK_MODE: '',
  });
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await emu.stop();
  };
  try {
    await waitForLogLine(child, 'bot running');
    emu.rateLimitNext(1, { route: 'POST /channels/:channelId/messages', retryAfterSeconds: 3600 });
    const limited = emu.waitForCall((call) => call.status === 429, { timeoutMs: 10_000 });
    await emu.sendMessage({ channelId: channel.id, authorId: member.id, content: '!help' });
    await limited;
  } catch (error) {
    await close();
    throw error;
  }
  const status = async () => {
    const database = openDatabase({ path: databasePath });
    try {
      return await new BotStatusStore(database).read();
    } finally {
      database.close();
    }
  };
  return { child, status, close };
}
