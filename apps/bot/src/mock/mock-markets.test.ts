import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCoachwire } from '@coachwire/runtime';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../test-support/market-harness.js';
import { mockModeConfig } from '../test-support/mock-config.js';
import { type MockBotHandle, startMockBot } from './start-mock-bot.js';

let dir: string;
let bot: MockBotHandle;
let close: () => Promise<void>;
// Tuesday 2026-11-24, 10:00 in New York: a trading day with the close ahead.
const clock = new ManualClock(Date.parse('2026-11-24T15:00:00Z'));

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'coachwire-mock-markets-'));
  const config = mockModeConfig(dir, {
    mock: { simulate_posts: false },
    markets: { embed_update_seconds: 0.05, sweep_seconds: 3600 },
  });
  const coachwire = await openCoachwire(config, { logger: pino({ level: 'silent' }), clock });
  bot = await startMockBot({ config, coachwire });
  close = async () => {
    await bot.stop();
    await coachwire.close();
    rmSync(dir, { recursive: true, force: true });
  };
}, 120_000);

afterAll(async () => {
  await close?.();
});

describe('markets in mock mode', { timeout: 120_000 }, () => {
  it('opens coach-call markets for the simulated plans, and the crowd bets, claims and resolves over time', async () => {
    const guildId = bot.mock.guild.id;
    const queries = bot.context.marketQueries;
    const calls = await queries.list({ guildId, limit: 100 });
    expect(calls.items.filter((summary) => summary.market.planId !== null).length).toBeGreaterThan(0);

    const first = await bot.crowd.simulateOnce();
    expect(first.created).toBe(1);
    // Steps a minute apart, as the real simulation spaces them (rate limits refill between them); the crowd
    // picks members and markets at random, so step until both kinds of market have bettors (bounded).
    const bothTraded = async () => {
      const items = (await queries.list({ guildId, limit: 100 })).items.filter((s) => s.bettors > 0);
      return items.some((s) => s.market.planId === null) && items.some((s) => s.market.planId !== null);
    };
    for (let step = 0; step < 12 && !(step >= 4 && (await bothTraded())); step++) {
      clock.advance(60_000);
      await bot.crowd.simulateOnce();
    }
    const balances = await Promise.all(
      bot.crowd.members.map(async (member) => (await bot.context.points.balance(guildId, member.id)).balance),
    );
    // Everyone claimed today's 100 on top of the 1000 start; bets moved some of it into markets.
    expect(balances.some((balance) => balance !== 1100)).toBe(true);
    const traded = (await queries.list({ guildId, limit: 100 })).items.filter(
      (summary) => summary.bettors > 0,
    );
    expect(traded.filter((summary) => summary.market.planId !== null).length).toBeGreaterThan(0);
    expect(traded.filter((summary) => summary.market.planId === null).length).toBeGreaterThan(0);

    // An hour later every simulated market has closed: the admin resolves them and the leaderboard moves.
    clock.advance(60 * 60_000);
    await bot.sweepMarkets();
    const step = await bot.crowd.simulateOnce();
    expect(step.resolved).toBeGreaterThan(0);
    const resolved = await queries.list({ guildId, status: 'resolved', limit: 100 });
    expect(resolved.items.length).toBeGreaterThan(0);
    const leaderboard = await bot.context.points.leaderboard(guildId);
    expect(leaderboard.some((standing) => standing.profitAndLoss !== 0)).toBe(true);
    // The emulator keeps every message: the results are there to read back.
    const texts = bot.mock.emu.messagesIn(bot.mock.channel.id).map((message) => String(message.content));
    expect(texts.some((text) => text.includes('resolved to'))).toBe(true);
  });

  it('gives a member who cannot pay for the smallest bet points through /points give, so the crowd keeps betting', async () => {
    const guildId = bot.mock.guild.id;
    const admin = { id: bot.crowd.admin.id, name: 'mock_admin', hasAdminPermission: true };
    // Everyone down to 5 points (today's daily points are claimed already): no bet size is affordable.
    for (const [index, member] of bot.crowd.members.entries()) {
      const { balance } = await bot.context.points.balance(guildId, member.id);
      await bot.context.points.grant(
        admin,
        { guildId, idempotencyKey: `drain-${index}` },
        member.id,
        5 - balance,
        'test: spent',
      );
    }
    clock.advance(60_000);
    const step = await bot.crowd.simulateOnce();
    expect(step.bets).toBeGreaterThan(0);
    const texts = bot.mock.emu.messagesIn(bot.mock.channel.id).map((message) => String(message.content));
    expect(texts.some((text) => text.includes('gave') && text.includes('500'))).toBe(true);
  });
});
