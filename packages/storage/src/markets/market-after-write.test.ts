import { MarketQueries, type MarketReadStore, PlanService } from '@coachwire/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_BACKENDS } from '../test-support/backends.js';
import { alice, bob, carol, marketWorldOn, type StoreMarketWorld } from '../test-support/market-world.js';

/**
 * `MarketQueries.marketAfterWrite`, the market a bet's answer shows, over each real store: the callers of
 * one turn share a read, and every caller sees its own committed write.
 */
describe.each(STORE_BACKENDS)('the market read after a write on $name', (backend) => {
  let world: StoreMarketWorld;
  let queries: MarketQueries;
  /** The reads of one market queries has made. */
  let marketReads: number;
  /** Awaited by each read after its query has run and before it answers: a test can hold a read there. */
  let afterQuery: () => Promise<void>;

  beforeEach(async () => {
    world = await marketWorldOn(backend);
    marketReads = 0;
    afterQuery = async () => {};
    const store = world.reads;
    const counted: MarketReadStore = new Proxy(store, {
      get(target, property, receiver) {
        if (property !== 'marketById') return Reflect.get(target, property, receiver);
        return async (marketId: number) => {
          marketReads += 1;
          const found = await target.marketById(marketId);
          await afterQuery();
          return found;
        };
      },
    });
    const clock = { now: () => world.now().getTime() };
    const timezone = 'America/New_York';
    queries = new MarketQueries({
      reads: counted,
      ledger: world.ledger,
      plans: new PlanService({ repository: world.store.plans, coaches: [], timezone, clock }),
      points: world.points,
      timezone,
      clock,
    });
  });
  afterEach(() => world.dispose());

  const openMarket = () =>
    world.markets.create(alice, world.ctx(), {
      question: 'Will SPY close above 600?',
      mechanism: 'cpmm',
      closesAt: world.inHours(2),
      subsidy: 200,
    });

  /** A bet, then the market as its answer shows it, the way the API's bet route does. */
  const betThenRead = async (marketId: number, bettor: typeof bob, points: number) => {
    await world.markets.buy(bettor, world.ctx(), { marketId, option: 0, points });
    return queries.marketAfterWrite(marketId);
  };

  it('reads a market once for the bets answered together, and each answer includes its own bet', async () => {
    const market = await openMarket();
    // Stakes of 100, 200 and 400: the volume an answer shows is a sum that tells which bets it includes.
    const bettors = [bob, carol, alice];
    const answers = await Promise.all(
      bettors.map((bettor, index) => betThenRead(market.id, bettor, 100 * 2 ** index)),
    );
    answers.forEach((answer, index) => {
      expect((answer.volume / 100) & (2 ** index)).not.toBe(0);
    });
    if (backend.name === 'sqlite') {
      // SQLite commits the three bets together and answers them in one turn: one read, after all three.
      expect(answers.map((answer) => answer.volume)).toEqual([700, 700, 700]);
      expect(marketReads).toBe(1);
    } else {
      // PostgreSQL commits each bet on its own connection, so the answers may come in several turns.
      expect(marketReads).toBeLessThanOrEqual(3);
    }
  });

  it('never shares a read that started before the caller asked: the caller reads again and sees its bet', async () => {
    const market = await openMarket();
    // Bob's read runs its query, then is held until Carol has bet and asked for the market.
    let queried!: () => void;
    const bobsReadQueried = new Promise<void>((resolve) => {
      queried = resolve;
    });
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    afterQuery = () => {
      afterQuery = async () => {};
      queried();
      return released;
    };
    const bobs = betThenRead(market.id, bob, 10);
    await bobsReadQueried;
    await world.markets.buy(carol, world.ctx(), { marketId: market.id, option: 0, points: 25 });
    const carols = queries.marketAfterWrite(market.id);
    release();
    expect((await bobs).volume).toBe(10);
    expect((await carols).volume).toBe(35);
    expect(marketReads).toBe(2);
  });

  it('answers NOT_FOUND for every caller of an unknown market', async () => {
    const results = await Promise.allSettled([queries.marketAfterWrite(999), queries.marketAfterWrite(999)]);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      if (result.status === 'rejected') expect(result.reason).toMatchObject({ code: 'NOT_FOUND' });
    }
    expect(marketReads).toBe(1);
  });
});
