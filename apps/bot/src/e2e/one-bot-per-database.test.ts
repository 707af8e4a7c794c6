import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import os from 'node:os';
import type { BotInstance, BotStatus } from '@coachwire/core';
import { DiscordEmulator } from '@coachwire/discord-emulator';
import { openSqliteStore } from '@coachwire/storage';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BotProcesses, collectStderr, waitForLogLine } from '../test-support/bot-process.js';

// Two bot processes on one database would both answer every command. The second refuses before it contacts
// Discord; a bot that stopped cleanly, or died on this host, never keeps the next one from starting.

const processes = new BotProcesses();
afterAll(() => processes.cleanUp());

let emu: DiscordEmulator | undefined;
afterEach(async () => {
  await emu?.stop();
  emu = undefined;
});

/** An emulator standing in for Discord, and a config file and database for bots logging into it. */
async function discordAndFiles(extraYaml = '') {
  emu = await DiscordEmulator.start();
  const guild = emu.createGuild({ name: 'One Bot Traders' });
  emu.createChannel(guild.id, { name: 'trading-plans' });
  const files = processes.files(`discord:\n  reconnect_attempts: 0\n${extraYaml}`);
  const discord = emu;
  const env = {
    NODE_ENV: 'production',
    DISCORD_BOT_TOKEN: discord.botToken,
    DISCORD_API_URL: discord.restUrl,
    MOCK_MODE: '',
  };
  return { emu: discord, ...files, start: () => processes.spawn(['--config', files.configPath], env) };
}

/** Starts a bot and waits until it runs. */
async function running(child: ChildProcess): Promise<ChildProcess> {
  await waitForLogLine(child, 'bot running');
  return child;
}

/** Runs a bot that must refuse to start: its exit code and what it wrote to stderr. */
async function refused(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  const stderr = collectStderr(child);
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stderr: stderr.text };
}

async function stopWith(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  const exited = once(child, 'exit');
  child.kill(signal);
  const [code] = (await exited) as [number | null];
  return code;
}

/** The heartbeat row as a reader of the database sees it. */
async function heartbeatRow(databasePath: string): Promise<BotStatus | null> {
  const store = await openSqliteStore({ path: databasePath });
  try {
    return await store.botStatus.read();
  } finally {
    await store.close();
  }
}

/** Writes the heartbeat row directly, as a bot on another host would have. */
async function writeHeartbeat(databasePath: string, status: BotStatus): Promise<void> {
  const store = await openSqliteStore({ path: databasePath });
  try {
    await store.botStatus.write(status);
  } finally {
    await store.close();
  }
}

const elsewhere: BotInstance = { instanceId: 'f0e1d2c3-other-host-bot', host: 'another-host', pid: 4242 };

function heartbeatOf(holder: BotInstance, heartbeatAt: Date): BotStatus {
  return {
    connected: true,
    latencyMs: 30,
    guilds: 1,
    heartbeatAt: heartbeatAt.toISOString(),
    mock: false,
    state: 'connected',
    lastError: null,
    holder,
  };
}

const gatewayLookups = (discord: DiscordEmulator) =>
  discord.calls.filter((call) => call.route === 'GET /gateway/bot').length;

describe('one bot per database', { timeout: 90_000 }, () => {
  it('refuses a second bot on the same database before it contacts Discord, naming the first, with a Fix line', async () => {
    const setup = await discordAndFiles();
    const first = await running(setup.start());
    expect(setup.emu.identifyCount).toBe(1);
    const lookups = gatewayLookups(setup.emu);

    const second = await refused(setup.start());
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(
      `Another Coachwire bot is already running on this database: pid ${first.pid} on host ${os.hostname()}`,
    );
    expect(second.stderr).toMatch(/last heartbeat \d+ s ago/);
    expect(second.stderr).toMatch(/^Fix: stop the other bot first .*`kill \d+` on this host/m);
    expect(second.stderr).toMatch(/If pid \d+ is no longer that bot .*, its claim lapses \d+ s from now/);
    expect(setup.emu.identifyCount).toBe(1);
    expect(gatewayLookups(setup.emu)).toBe(lookups);
    // The refused bot left the first one's claim alone.
    expect((await heartbeatRow(setup.databasePath))?.holder?.pid).toBe(first.pid);

    expect(await stopWith(first, 'SIGTERM')).toBe(0);
  });

  it('lets exactly one of two bots started at the same moment run; the other exits 1 without logging in', async () => {
    const setup = await discordAndFiles();
    const bots = [setup.start(), setup.start()];
    const outcomes = bots.map((child) => {
      const stderr = collectStderr(child);
      return new Promise<'running' | { code: number | null; stderr: string }>((resolve) => {
        waitForLogLine(child, 'bot running').then(
          () => resolve('running'),
          () => {},
        );
        child.once('exit', (code) => resolve({ code, stderr: stderr.text }));
      });
    });
    const results = await Promise.all(outcomes);
    const runningIndex = results.indexOf('running');
    expect(runningIndex).not.toBe(-1);
    const other = results[1 - runningIndex];
    expect(other).toMatchObject({ code: 1 });
    expect((other as { stderr: string }).stderr).toContain(
      `Another Coachwire bot is already running on this database: pid ${bots[runningIndex]!.pid}`,
    );
    expect(setup.emu.identifyCount).toBe(1);
    expect(await stopWith(bots[runningIndex]!, 'SIGTERM')).toBe(0);
  });

  it('starts at once after the bot before it stopped cleanly', async () => {
    const setup = await discordAndFiles();
    const first = await running(setup.start());
    expect(await stopWith(first, 'SIGTERM')).toBe(0);
    expect((await heartbeatRow(setup.databasePath))?.state).toBe('stopped');

    const next = await running(setup.start());
    expect((await heartbeatRow(setup.databasePath))?.holder?.pid).toBe(next.pid);
    expect(await stopWith(next, 'SIGTERM')).toBe(0);
  });

  it('starts at once after the bot before it on this host was killed (SIGKILL), its fresh claim notwithstanding', async () => {
    const setup = await discordAndFiles();
    const first = await running(setup.start());
    await stopWith(first, 'SIGKILL');
    const left = await heartbeatRow(setup.databasePath);
    expect(left?.state).toBe('connected');
    expect(left?.holder?.pid).toBe(first.pid);

    const next = await running(setup.start());
    expect((await heartbeatRow(setup.databasePath))?.holder?.pid).toBe(next.pid);
    expect(await stopWith(next, 'SIGTERM')).toBe(0);
  });

  it('takes over the claim of a bot on another host whose heartbeat is stale', async () => {
    const setup = await discordAndFiles();
    // Migrates the new database, then leaves a claim ten minutes old, from a bot whose host went down.
    await writeHeartbeat(setup.databasePath, heartbeatOf(elsewhere, new Date(Date.now() - 600_000)));

    const bot = await running(setup.start());
    expect((await heartbeatRow(setup.databasePath))?.holder).toMatchObject({
      host: os.hostname(),
      pid: bot.pid,
    });
    expect(await stopWith(bot, 'SIGTERM')).toBe(0);
  });

  it('refuses while a bot on another host holds a fresh claim, saying when it lapses', async () => {
    const setup = await discordAndFiles();
    await writeHeartbeat(setup.databasePath, heartbeatOf(elsewhere, new Date()));

    const { code, stderr } = await refused(setup.start());
    expect(code).toBe(1);
    expect(stderr).toContain('pid 4242 on host another-host (instance f0e1d2c3)');
    expect(stderr).toMatch(/^Fix: stop the other bot first .*`kill 4242` on host another-host\)/m);
    expect(stderr).toMatch(/its claim lapses \d+ s from now, 60 s after its last heartbeat/);
    expect(setup.emu.identifyCount).toBe(0);
    expect(gatewayLookups(setup.emu)).toBe(0);
    expect((await heartbeatRow(setup.databasePath))?.holder).toEqual(elsewhere);
  });

  it('stops, without touching the row, when another bot took its claim over (it looked gone to that one)', async () => {
    // Heartbeats every 0.2 s: the next one after the takeover finds it at once.
    const setup = await discordAndFiles('  heartbeat_interval_seconds: 0.2\n');
    const bot = await running(setup.start());
    const stderr = collectStderr(bot);
    const lost = waitForLogLine(
      bot,
      'another bot took over the running-bot role on this database (this one looked gone to it): stopping',
    );
    const exited = once(bot, 'exit');

    const takeover = heartbeatOf(elsewhere, new Date());
    await writeHeartbeat(setup.databasePath, takeover);
    await lost;
    const [code] = (await exited) as [number | null];
    expect(code).toBe(1);
    expect(stderr.text).toContain('stopped: another bot took over the running-bot role on this database');
    // No "stopped" row over the new holder's claim.
    expect(await heartbeatRow(setup.databasePath)).toEqual(takeover);
  });
});

describe('mock mode on one database', { timeout: 90_000 }, () => {
  /** Config files for mock bots on one database, and a start for each (as `pnpm start` without a token). */
  function mockFiles() {
    const { databasePath, configPath } = processes.files('mock:\n  simulate_posts: false\n');
    const start = () =>
      processes.spawn(['--config', configPath, '--mock'], {
        NODE_ENV: 'production',
        DISCORD_BOT_TOKEN: '',
        MOCK_MODE: '',
      });
    return { databasePath, start };
  }

  it('starts again at once after Ctrl-C, and after a crash', async () => {
    const { databasePath, start } = mockFiles();
    const first = await running(start());
    expect(await stopWith(first, 'SIGINT')).toBe(0);

    const second = await running(start());
    await stopWith(second, 'SIGKILL');
    expect((await heartbeatRow(databasePath))?.holder?.pid).toBe(second.pid);

    const third = await running(start());
    expect((await heartbeatRow(databasePath))?.holder?.pid).toBe(third.pid);
    expect(await stopWith(third, 'SIGINT')).toBe(0);
  });

  it('refuses a second mock on the same database before it starts its emulator', async () => {
    const { start } = mockFiles();
    const first = await running(start());

    const second = start();
    let emulatorStarted = false;
    void waitForLogLine(second, 'mock Discord ready').then(
      () => {
        emulatorStarted = true;
      },
      () => {},
    );
    const { code, stderr } = await refused(second);
    expect(code).toBe(1);
    expect(stderr).toContain(`Another Coachwire bot is already running on this database: pid ${first.pid}`);
    expect(stderr).toMatch(/^Fix: /m);
    expect(emulatorStarted).toBe(false);
    expect(await stopWith(first, 'SIGINT')).toBe(0);
  });
});
