import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  admin,
  alice,
  bob,
  carol,
  GUILD,
  type MarketWorld,
  marketWorld,
} from '../test-support/market-world.js';

let world: MarketWorld;
beforeEach(async () => {
  world = await marketWorld();
});
afterEach(() => world.dispose());

describe('standings', () => {
  it('ranks users by market profit and loss, all time and by calendar month, ignoring grants', async () => {
    const market = await world.markets.create(admin, world.ctx(), {
      question: 'Red or blue?',
      mechanism: 'pool',
      options: ['Red', 'Blue'],
      closesAt: world.inHours(2),
    });
    await world.markets.buy(alice, world.ctx(), { marketId: market.id, option: 0, points: 100 });
    await world.markets.buy(bob, world.ctx(), { marketId: market.id, option: 1, points: 300 });
    await world.points.grant(admin, world.ctx(), carol.id, 5000, 'prize');
    world.advanceHours(24 * 12); // into December in New York
    await world.markets.resolve(admin, world.ctx(), market.id, { kind: 'option', option: 0 });

    const allTime = await world.points.leaderboard(GUILD);
    expect(allTime.map((s) => [s.userId, s.profitAndLoss])).toEqual([
      [alice.id, 300],
      [carol.id, 0], // ties go to the larger balance: carol's grant is not profit, but it is points
      [admin.id, 0],
      [bob.id, -300],
    ]);
    const november = await world.points.leaderboard(GUILD, { month: '2026-11' });
    expect(november.find((s) => s.userId === alice.id)?.profitAndLoss).toBe(-100);
    const december = await world.points.leaderboard(GUILD, { month: '2026-12' });
    expect(december.find((s) => s.userId === alice.id)?.profitAndLoss).toBe(400);
    expect(await world.points.standing(GUILD, bob.id)).toMatchObject({ balance: 700, profitAndLoss: -300 });
  });

  it('scores coach calls opened on plans', async () => {
    const { market, note } = await world.markets.createCoachCall(admin, world.ctx(), {
      planId: 1,
      coachId: 'd',
      coachName: 'Coach D',
      tradingDate: '2026-11-20',
    });
    expect(note).toBeNull();
    expect(market.closesAt).toBe('2026-11-20T21:00:00.000Z');
    await world.markets.buy(alice, world.ctx(), { marketId: market.id, option: 0, points: 50 });
    await world.markets.resolve(admin, world.ctx(), market.id, { kind: 'option', option: 0 });
    const board = await world.markets.coachScoreboard(GUILD, 'd');
    expect(board).toMatchObject({ callsResolved: 1, hits: 1, hitRate: 1 });
    expect(board.averageCrowdProbability).toBeGreaterThan(0.5);
    expect(board.brierScore).toBeLessThan(0.25);
  });
});
