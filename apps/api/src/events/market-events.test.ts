import type { AddressInfo } from 'node:net';
import { EVERY_DAY_TRADES } from '@coachwire/core';
import { createMarketServices } from '@coachwire/storage';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ApiFixture,
  createApiFixture,
  DISCORD_ALICE,
  FIXED_CLOCK,
} from '../test-support/api-fixture.js';
import { EventStreamClient } from '../test-support/event-stream-client.js';

let fixture: ApiFixture | undefined;
const clients: EventStreamClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await fixture?.close();
  fixture = undefined;
});

describe('market and points events on /api/v1/events', () => {
  it('replays market events written by another process, filtered by type and market', async () => {
    fixture = await createApiFixture();
    await fixture.app.listen({ host: '127.0.0.1', port: 0 });
    const port = (fixture.app.server.address() as AddressInfo).port;
    const open = async (path: string, headers: Record<string, string> = {}) => {
      const client = await EventStreamClient.open(port, path, headers);
      clients.push(client);
      return client;
    };
    // The bot process: its own connection and services over the same file.
    const bot = createMarketServices(fixture.bot.database, {
      timezone: 'America/New_York',
      clock: FIXED_CLOCK,
      tradingDays: EVERY_DAY_TRADES,
    });
    const ctx = (key: string) => ({ guildId: 'guild-1', idempotencyKey: key });
    const market = await bot.markets.create(DISCORD_ALICE, ctx('c1'), {
      question: 'Up?',
      mechanism: 'cpmm',
      closesAt: '2026-11-21T21:00:00Z',
    });
    const other = await bot.markets.create(DISCORD_ALICE, ctx('c2'), {
      question: 'Down?',
      mechanism: 'pool',
      closesAt: '2026-11-21T21:00:00Z',
    });
    await bot.markets.buy(DISCORD_ALICE, ctx('b1'), { marketId: market.id, option: 0, points: 30 });
    await bot.markets.buy(DISCORD_ALICE, ctx('b2'), { marketId: other.id, option: 1, points: 5 });
    await fixture.bot.plans.post(DISCORD_ALICE, { coach: 'd', text: 'a plan' });

    const everything = await open('/api/v1/events?types=market.*,points.*', { 'last-event-id': '0' });
    await everything.until((frames) => frames.filter((frame) => frame.id).length >= 5);
    expect(everything.events.map((frame) => frame.event)).toEqual([
      'points.granted',
      'market.created',
      'market.created',
      'market.traded',
      'market.traded',
    ]);
    const traded = JSON.parse(everything.events[3]!.data!);
    expect(traded).toMatchObject({
      type: 'market.traded',
      guild_id: 'guild-1',
      market_id: market.id,
      user_id: DISCORD_ALICE.id,
      side: 'buy',
      option_id: 0,
      points: 30,
    });
    expect(traded.shares).toBeGreaterThan(30);

    const oneMarket = await open(`/api/v1/events?market_id=${market.id}`, { 'last-event-id': '0' });
    const plansOnly = await open('/api/v1/events', { 'last-event-id': '0' });
    await oneMarket.until((frames) => frames.filter((frame) => frame.id).length >= 2);
    await plansOnly.until((frames) => frames.filter((frame) => frame.id).length >= 1);
    expect(oneMarket.events.map((frame) => frame.event)).toEqual(['market.created', 'market.traded']);

    // Live: the next trade in the other process reaches the market streams, not the plan stream.
    await bot.markets.buy(DISCORD_ALICE, ctx('b3'), { marketId: market.id, option: 1, points: 10 });
    await oneMarket.until((frames) => frames.filter((frame) => frame.id).length >= 3);
    await everything.until((frames) => frames.filter((frame) => frame.id).length >= 6);
    expect(JSON.parse(oneMarket.events[2]!.data!)).toMatchObject({ option_id: 1, points: 10 });
    expect(plansOnly.events.map((frame) => frame.event)).toEqual(['plan.created']);
    const bad = await fixture.app.inject({ url: '/api/v1/events?types=trades' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('types');
    // A well-formed but unknown type is refused too: it would give a stream that never sends anything.
    const typo = await fixture.app.inject({ url: '/api/v1/events?types=market.*,market.trade' });
    expect(typo.statusCode).toBe(400);
    expect(typo.json()).toMatchObject({ code: 'VALIDATION', field: 'types' });
    expect(typo.json().message).toContain("'market.trade'");
    expect(typo.json().message).toContain('market.traded');
  });
});
