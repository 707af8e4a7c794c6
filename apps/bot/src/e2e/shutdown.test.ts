import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { DiscordEmulator } from '@coachwire/discord-emulator';
import { BotStatusStore, countPlans, openDatabase } from '@coachwire/storage';
import { afterAll, describe, expect, it } from 'vitest';

const botDir = fileURLToPath(new URL('../..', import.meta.url));
// One process, no tsx wrapper: tsx's own CLI relays signals through a parent process, which under load
// turned an early SIGINT into exit 130 before the bot's handler saw it.
const runSource = ['--import', 'tsx', '--conditions=@coachwire/source'];
const dirs: string[] = [];
/** Processes a failing test may leave running (one that never exits on its own). */
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Resolves with the first JSON log line whose message is `msg`. */
function waitForLogLine(child: ChildProcess, msg: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        if (entry.msg === msg) resolve(entry);
      } catch {
        // Not a log line.
      }
    });
    child.once('exit', (code) => reject(new Error(`bot exited with ${code} before logging '${msg}'`)));
  });
}

describe('the bot process', () => {
  it('in mock mode posts plans through the emulator, then on SIGTERM finishes, marks itself disconnected and exits 0', async () => {
    const { databasePath, configPath } = botProcessFiles('mock:\n  simulate_posts: false\n');
    const child = spawn(process.execPath, [...runSource, 'src/main.ts', '--config', configPath, '--mock'], {
      cwd: botDir,
      env: { ...process.env, NODE_ENV: 'production', DISCORD_BOT_TOKEN: '', MOCK_MODE: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
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
    const dir = mkdtempSync(path.join(os.tmpdir(), 'coachwire-bot-early-'));
    dirs.push(dir);
    const databasePath = path.join(dir, 'plans.db');
    const child = spawn(process.execPath, [...runSource, 'src/main.ts', '--mock'], {
      cwd: botDir,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        DISCORD_BOT_TOKEN: '',
        DATABASE_PATH: databasePath,
        // Else mock mode archives its charts into apps/bot/data/mock/charts, in the source tree.
        CHARTS_DIR: path.join(dir, 'charts'),
        LOG_FILE: '',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
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

/**
 * A temp directory (removed after the test) with the database, the charts and a config file for a bot process:
 * those three, info logs on stdout only, and `extraYaml` (other top-level sections).
 */
function botProcessFiles(extraYaml: string): { databasePath: string; configPath: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'coachwire-bot-process-'));
  dirs.push(dir);
  const databasePath = path.join(dir, 'plans.db');
  const configPath = path.join(dir, 'config.yaml');
  writeFileSync(
    configPath,
    `database:\n  path: ${JSON.stringify(databasePath)}\ncharts:\n  dir: ${JSON.stringify(path.join(dir, 'charts'))}\n` +
      `logging:\n  level: info\n  file: ""\n${extraYaml}`,
  );
  return { databasePath, configPath };
}

/** Runs the bot from source with `args` and `env` over this process's environment, until it exits. */
async function runBotToExit(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [...runSource, 'src/main.ts', ...args], {
    cwd: botDir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stderr };
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
  const { databasePath, configPath } = botProcessFiles(
    `discord:\n  reconnect_attempts: 0\napi:\n  shutdown_timeout_seconds: ${graceSeconds}\n`,
  );
  const child = spawn(process.execPath, [...runSource, 'src/main.ts', '--config', configPath], {
    cwd: botDir,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DISCORD_BOT_TOKEN: emu.botToken,
      DISCORD_API_URL: emu.restUrl,
      MOCK_MODE: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
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
