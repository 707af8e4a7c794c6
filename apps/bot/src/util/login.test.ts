import { Writable } from 'node:stream';
import { DiscordEmulator } from '@coachwire/discord-emulator';
import { Client, GatewayIntentBits } from 'discord.js';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  backoffMs,
  DiscordUnreachableError,
  isTokenRejection,
  LoginAbortedError,
  loginWithRetry,
  TokenRejectedError,
} from './login.js';

let emu: DiscordEmulator;

beforeAll(async () => {
  emu = await DiscordEmulator.start();
});

afterAll(async () => {
  await emu?.stop();
});

function captureLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

function client(restApi: string) {
  return new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: restApi, retries: 0 } });
}

describe('loginWithRetry', () => {
  it('fails at once, without retrying, when Discord rejects the token', async () => {
    const { logger, lines } = captureLogger();
    const bot = client(emu.restUrl);
    const sleeps: number[] = [];
    const login = loginWithRetry(bot, {
      token: 'not-the-token',
      attempts: 5,
      delaySeconds: 1,
      timeoutSeconds: 5,
      logger,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
    await expect(login).rejects.toBeInstanceOf(TokenRejectedError);
    await expect(login).rejects.toThrow(/rejected the bot token/);
    expect(sleeps).toEqual([]);
    expect(lines.filter((line) => line.msg === 'login failed; retrying')).toEqual([]);
    await bot.destroy();
  });

  it('retries a network failure with backoff, reporting why, then gives up saying what to check', async () => {
    const { logger, lines } = captureLogger();
    // Port 9 (discard) on loopback: nothing listens, so every attempt is refused, as with no route to Discord.
    const bot = client('http://127.0.0.1:9/api');
    const sleeps: number[] = [];
    const retries: string[] = [];
    const error = await loginWithRetry(bot, {
      token: emu.botToken,
      attempts: 2,
      delaySeconds: 1,
      timeoutSeconds: 5,
      logger,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      onRetry: (reason) => retries.push(reason),
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DiscordUnreachableError);
    expect(sleeps).toHaveLength(2);
    expect(retries).toEqual([
      expect.stringContaining('ECONNREFUSED'),
      expect.stringContaining('ECONNREFUSED'),
    ]);
    const message = (error as DiscordUnreachableError).message;
    expect(message).toMatch(
      /^Could not connect to Discord after 3 attempts \(last error: .*ECONNREFUSED.*\)\.$/m,
    );
    expect(message).toMatch(/^Fix: .*network.*DNS.*proxy.*DISCORD_BOT_TOKEN/m);
    expect(message).not.toContain(emu.botToken);
    const logged = lines.filter((line) => line.msg === 'login failed; retrying');
    expect(logged).toHaveLength(2);
    expect(logged[0]?.reason).toEqual(expect.stringContaining('ECONNREFUSED'));
    await bot.destroy();
  });

  it('stops retrying at once when aborted, e.g. by Ctrl-C during the backoff', async () => {
    const { logger } = captureLogger();
    const bot = client('http://127.0.0.1:9/api');
    const stop = new AbortController();
    const login = loginWithRetry(bot, {
      token: emu.botToken,
      attempts: 5,
      delaySeconds: 3600,
      timeoutSeconds: 5,
      logger,
      onRetry: () => stop.abort(),
      signal: stop.signal,
    });
    await expect(login).rejects.toBeInstanceOf(LoginAbortedError);
    await bot.destroy();
  });

  it('logs in against a reachable Discord', async () => {
    const { logger } = captureLogger();
    const bot = client(emu.restUrl);
    await loginWithRetry(bot, {
      token: emu.botToken,
      attempts: 0,
      delaySeconds: 0,
      timeoutSeconds: 5,
      logger,
    });
    expect(bot.isReady()).toBe(true);
    await bot.destroy();
  });
});

describe('backoffMs', () => {
  it('doubles each attempt within ±50 % jitter', () => {
    expect(backoffMs(1, 2, () => 0.5)).toBe(2000);
    expect(backoffMs(3, 2, () => 0.5)).toBe(8000);
    expect(backoffMs(3, 2, () => 0)).toBe(4000);
    expect(backoffMs(3, 2, () => 0.999)).toBeLessThan(12_000);
  });
});

describe('isTokenRejection', () => {
  it('recognises discord.js token errors and HTTP 401, not network errors', () => {
    expect(isTokenRejection({ code: 'TokenInvalid' })).toBe(true);
    expect(isTokenRejection({ status: 401 })).toBe(true);
    expect(isTokenRejection(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(
      false,
    );
  });
});
