import { type MarketReadStore, SHARE_UNIT } from '@coachwire/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_BACKENDS } from '../test-support/backends.js';
import {
  admin,
  alice,
  bob,
  GUILD,
  marketWorldOn,
  type StoreMarketWorld,
} from '../test-support/market-world.js';

describe.each(STORE_BACKENDS)('the market read store on $name', (backend) => {
  let world: StoreMarketWorld;
  let reads: MarketReadStore;
  beforeEach(async () => {
    world = await marketWorldOn(backend);
    reads = world.reads;
  });
  afterEach(() => world.dispose());

  const now = () => world.now().toISOString();

  async function twoMarkets() {
    const amm = await world.markets.create(alice, world.ctx(), {
      question: 'Will SPY close above 600?',
      mechanism: 'cpmm',
      closesAt: world.inHours(2),
      subsidy: 200,
      planId: 42,
    });
    const pool = await world.markets.create(bob, world.ctx(), {
      question: 'Where does QQQ close?',
      mechanism: 'pool',
      options: ['Up', 'Down', 'Flat'],
      closesAt: world.inHours(48),
    });
    return { amm, pool };
  }

  it('pages markets newest first and filters by guild, plan and the phase derived from the clock', async () => {
    const { amm, pool } = await twoMarkets();
    const ids = async (query: Partial<Parameters<typeof reads.listMarkets>[0]>) =>
      (await reads.listMarkets({ now: now(), limit: 10, ...query })).map((row) => row.market.id);
    expect(await ids({})).toEqual([pool.id, amm.id]);
    expect(await ids({ limit: 1 })).toEqual([pool.id]);
    expect(await ids({ beforeId: pool.id })).toEqual([amm.id]);
    expect(await ids({ planId: 42 })).toEqual([amm.id]);
    expect(await ids({ guildId: 'another-guild' })).toEqual([]);
    expect(await ids({ phase: 'open' })).toEqual([pool.id, amm.id]);
    world.advanceHours(3);
    expect(await ids({ phase: 'open' })).toEqual([pool.id]);
    expect(await ids({ phase: 'closed' })).toEqual([amm.id]);
    await world.markets.resolve(admin, world.ctx(), amm.id, { kind: 'option', option: 0 });
    expect(await ids({ phase: 'closed' })).toEqual([]);
    expect(await ids({ phase: 'resolved' })).toEqual([amm.id]);
    expect(await ids({ phase: 'cancelled' })).toEqual([]);
  });

  it('counts volume (stakes and sale proceeds) and distinct bettors, and loads options and escrow', async () => {
    const { amm, pool } = await twoMarkets();
    const bought = await world.markets.buy(alice, world.ctx(), { marketId: amm.id, option: 0, points: 50 });
    await world.markets.buy(alice, world.ctx(), { marketId: amm.id, option: 1, points: 10 });
    await world.markets.buy(bob, world.ctx(), { marketId: amm.id, option: 1, points: 30 });
    const sold = await world.markets.sell(alice, world.ctx(), {
      marketId: amm.id,
      option: 0,
      shares: Math.floor(bought.shares / 2),
    });
    const found = await reads.marketById(amm.id);
    expect(found?.stats).toEqual({ volume: 90 + sold.points, bettors: 2 });
    // Kept current from the trades that follow, by this connection or another process's.
    const carol = { id: '103', name: 'carol' };
    await world.markets.buy(carol, world.ctx(), { marketId: amm.id, option: 0, points: 5 });
    await world.markets.buy(bob, world.ctx(), { marketId: amm.id, option: 0, points: 5 });
    const later = await (await world.openAnother()).marketReads.marketById(amm.id);
    expect((await reads.marketById(amm.id))?.stats).toEqual({ volume: 100 + sold.points, bettors: 3 });
    expect(later?.stats).toEqual({ volume: 100 + sold.points, bettors: 3 });
    expect(found?.market.options.map((option) => option.label)).toEqual(['Yes', 'No']);
    expect(found?.market.escrow).toBe(200 + 90 - sold.points);
    expect((await reads.marketById(pool.id))?.stats).toEqual({ volume: 0, bettors: 0 });
    expect(await reads.marketById(999)).toBeNull();
  });

  it('pages trades newest first and samples a long price history down to the points asked', async () => {
    const { amm } = await twoMarkets();
    for (let i = 0; i < 9; i++) {
      await world.markets.buy(i % 2 ? alice : bob, world.ctx(), {
        marketId: amm.id,
        option: i % 2,
        points: 5,
      });
    }
    const newest = await reads.tradesOf(amm.id, { limit: 4 });
    const replays: string[] = [];
    const again = await world.markets.buy(
      bob,
      { ...world.ctx('key-11'), onReplay: () => replays.push('replayed') },
      { marketId: amm.id, option: 0, points: 5 },
    );
    // The ninth bet's key again: its stored result, with the id of the trade it recorded, and no new trade.
    expect(replays).toEqual(['replayed']);
    expect(again.tradeId).toBe(newest[0]!.id);
    expect((await reads.tradesOf(amm.id, { limit: 4 }))[0]!.id).toBe(newest[0]!.id);
    expect(newest).toHaveLength(4);
    expect(newest[0]!.id).toBeGreaterThan(newest[3]!.id);
    const older = await reads.tradesOf(amm.id, { beforeId: newest[3]!.id, limit: 10 });
    expect(older).toHaveLength(5);
    const full = await reads.historyOf(amm.id, 100);
    expect(full).toHaveLength(9);
    const sampled = await reads.historyOf(amm.id, 4);
    expect(sampled.length).toBeLessThanOrEqual(4);
    expect(sampled.at(-1)).toEqual(full.at(-1));
    expect(sampled[0]).toEqual(full[0]);
    // Asked for one point (a chart of two: the opening, then this), the newest trade alone.
    expect(await reads.historyOf(amm.id, 1)).toEqual([full.at(-1)]);
    for (const point of full) expect(point.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1e9, -2);
  });

  it("lists a user's positions with shares left in unsettled markets of the guild only", async () => {
    const { amm, pool } = await twoMarkets();
    const bought = await world.markets.buy(alice, world.ctx(), { marketId: amm.id, option: 0, points: 40 });
    await world.markets.buy(alice, world.ctx(), { marketId: pool.id, option: 2, points: 25 });
    const held = await reads.openPositionsOf(GUILD, alice.id);
    expect(held.map((entry) => [entry.market.id, entry.position.option, entry.position.shares])).toEqual([
      [amm.id, 0, bought.shares],
      [pool.id, 2, 25 * SHARE_UNIT],
    ]);
    await world.markets.cancel(admin, world.ctx(), pool.id);
    expect((await reads.openPositionsOf(GUILD, alice.id)).map((entry) => entry.market.id)).toEqual([amm.id]);
    expect(await reads.openPositionsOf('another-guild', alice.id)).toEqual([]);
  });

  it('finds the markets of plans, counts open markets and reports the points outside the house', async () => {
    const { amm } = await twoMarkets();
    expect((await reads.marketsOfPlans([42, 43])).map((row) => row.market.id)).toEqual([amm.id]);
    expect(await reads.marketsOfPlans([])).toEqual([]);
    expect(await reads.countOpenMarkets(now())).toBe(2);
    world.advanceHours(3);
    expect(await reads.countOpenMarkets(now())).toBe(1);
    // Alice and Bob got the starting grant of 1000 each; nothing else was minted.
    expect(await reads.circulation()).toEqual([{ guildId: GUILD, points: 2000 }]);
    await world.assertLedger();
  });
});
