import { PROBABILITY_UNIT } from '@coachwire/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LEDGER_BACKENDS } from '../test-support/ledger-backends.js';
import { type LedgerWorld, ledgerWorld } from '../test-support/ledger-world.js';
import { admin, alice, bob, carol, codeOf } from '../test-support/market-world.js';

describe.each(LEDGER_BACKENDS)('on $name', (backend) => {
  let world: LedgerWorld;
  beforeEach(async () => {
    world = await ledgerWorld(backend);
  });
  afterEach(() => world.dispose());

  const escrowOf = async (marketId: number) =>
    (
      await world.rows<{ balance: number }>(
        'SELECT balance FROM accounts WHERE key = ?',
        `escrow:${marketId}`,
      )
    )[0]!.balance;

  async function openMarket(mechanism: 'cpmm' | 'lmsr' | 'pool', creator = admin, options?: string[]) {
    return world.markets.create(creator, world.ctx(), {
      question: 'Who wins?',
      mechanism,
      closesAt: world.inHours(24),
      subsidy: 100,
      ...(options ? { options } : {}),
    });
  }

  describe('resolving', () => {
    it('pays cpmm winners floor of their shares and empties the escrow', async () => {
      const market = await openMarket('cpmm');
      const yes = await world.markets.buy(alice, world.ctx(), {
        marketId: market.id,
        option: 0,
        points: 100,
      });
      await world.markets.buy(bob, world.ctx(), { marketId: market.id, option: 1, points: 100 });
      const result = await world.markets.resolve(admin, world.ctx(), market.id, {
        kind: 'option',
        option: 0,
      });
      expect(result.paidToTraders).toBe(Math.floor(yes.shares / 1e6));
      expect(await world.balance(alice)).toBe(900 + Math.floor(yes.shares / 1e6));
      expect(await world.balance(bob)).toBe(900);
      expect(await escrowOf(market.id)).toBe(0);
      expect(
        await codeOf(world.markets.buy(bob, world.ctx(), { marketId: market.id, option: 0, points: 5 })),
      ).toBe('MARKET_CLOSED');
      await world.assertLedger();
    });

    it('resolves a binary market to a probability (MKT)', async () => {
      const market = await openMarket('cpmm');
      await world.markets.buy(alice, world.ctx(), { marketId: market.id, option: 0, points: 100 });
      await world.markets.buy(bob, world.ctx(), { marketId: market.id, option: 1, points: 60 });
      await world.markets.resolve(admin, world.ctx(), market.id, {
        kind: 'probability',
        probability: 0.3 * PROBABILITY_UNIT,
      });
      expect(await escrowOf(market.id)).toBe(0);
      await world.assertLedger();
    });

    it('splits a pool among the winners by stake, exactly', async () => {
      const market = await openMarket('pool', admin, ['Red', 'Green', 'Blue']);
      await world.markets.buy(alice, world.ctx(), { marketId: market.id, option: 0, points: 100 });
      await world.markets.buy(bob, world.ctx(), { marketId: market.id, option: 0, points: 200 });
      await world.markets.buy(carol, world.ctx(), { marketId: market.id, option: 1, points: 101 });
      await world.markets.resolve(admin, world.ctx(), market.id, { kind: 'option', option: 0 });
      // 401 split 1:2 → 133.67 and 267.33: largest remainder gives the odd point to alice.
      expect([await world.balance(alice), await world.balance(bob), await world.balance(carol)]).toEqual([
        1034, 1067, 899,
      ]);
      await world.assertLedger();
    });

    it('refunds every stake when nobody picked the winning option', async () => {
      const market = await openMarket('pool', admin, ['Red', 'Green', 'Blue']);
      await world.markets.buy(alice, world.ctx(), { marketId: market.id, option: 0, points: 100 });
      await world.markets.resolve(admin, world.ctx(), market.id, { kind: 'option', option: 2 });
      expect(await world.balance(alice)).toBe(1000);
      await world.assertLedger();
    });

    it('lets only the creator or an admin resolve, and a creator with a position only when allowed', async () => {
      const market = await openMarket('lmsr', alice, ['A', 'B', 'C']);
      expect(
        await codeOf(world.markets.resolve(bob, world.ctx(), market.id, { kind: 'option', option: 1 })),
      ).toBe('FORBIDDEN');
      await world.markets.buy(alice, world.ctx(), { marketId: market.id, option: 1, points: 10 });
      expect(
        await codeOf(world.markets.resolve(alice, world.ctx(), market.id, { kind: 'option', option: 1 })),
      ).toBe('FORBIDDEN');
      expect(
        await codeOf(
          world.markets.resolve(admin, world.ctx(), market.id, { kind: 'probability', probability: 5 }),
        ),
      ).toBe('VALIDATION');
      await world.markets.resolve(admin, world.ctx(), market.id, { kind: 'option', option: 1 });
      expect(
        await codeOf(world.markets.resolve(admin, world.ctx(), market.id, { kind: 'option', option: 0 })),
      ).toBe('CONFLICT');
      await world.assertLedger();
    });
  });

  describe('cancelling', () => {
    it('refunds net stakes and returns the subsidy to whoever paid it', async () => {
      const market = await openMarket('cpmm', alice);
      await world.markets.buy(bob, world.ctx(), { marketId: market.id, option: 0, points: 120 });
      await world.markets.cancel(alice, world.ctx(), market.id, 'question was ambiguous');
      expect([await world.balance(alice), await world.balance(bob)]).toEqual([1000, 1000]);
      expect(await escrowOf(market.id)).toBe(0);
      await world.assertLedger();
    });

    it('cuts refunds pro rata when a seller took out a profit, and never pays the maker below 0', async () => {
      const market = await openMarket('cpmm', admin);
      const early = await world.markets.buy(bob, world.ctx(), {
        marketId: market.id,
        option: 0,
        points: 100,
      });
      await world.markets.buy(carol, world.ctx(), { marketId: market.id, option: 0, points: 900 });
      await world.markets.sell(bob, world.ctx(), { marketId: market.id, option: 0, shares: early.shares });
      const result = await world.markets.cancel(admin, world.ctx(), market.id);
      expect(result.lpReturn).toBeGreaterThanOrEqual(0);
      expect(await escrowOf(market.id)).toBe(0);
      await world.assertLedger();
    });

    it('auto-cancels a market left unresolved past the deadline, once, however many sweeps run', async () => {
      const market = await openMarket('cpmm', alice);
      await world.markets.buy(bob, world.ctx(), { marketId: market.id, option: 1, points: 70 });
      world.advanceHours(24 + 7 * 24 - 1);
      expect((await world.markets.sweep()).cancelled).toEqual([]);
      world.advanceHours(2);
      const [first, second] = await Promise.all([world.markets.sweep(), world.markets.sweep()]);
      expect([...first.cancelled, ...second.cancelled]).toEqual([market.id]);
      expect(await world.balance(bob)).toBe(1000);
      expect(await world.count("events WHERE type = 'market.cancelled'")).toBe(1);
      await world.assertLedger();
    });
  });

  describe('unresolving', () => {
    it('reverses the settlement with new transfers, and the house covers points already spent', async () => {
      const market = await openMarket('cpmm');
      const other = await openMarket('pool', admin, ['X', 'Y']);
      await world.markets.buy(bob, world.ctx(), { marketId: market.id, option: 0, points: 1000 });
      await world.markets.resolve(admin, world.ctx(), market.id, { kind: 'option', option: 0 });
      const won = await world.balance(bob);
      await world.markets.buy(bob, world.ctx(), { marketId: other.id, option: 0, points: won });
      expect(await codeOf(world.markets.unresolve(bob, world.ctx(), market.id, 'wrong'))).toBe('FORBIDDEN');
      const undone = await world.markets.unresolve(
        admin,
        world.ctx(),
        market.id,
        'resolved to the wrong option',
      );
      expect(undone.coveredByHouse).toBe(won);
      expect(await world.balance(bob)).toBe(0);
      expect((await world.markets.get('guild-1', market.id)).status).toBe('open');
      await world.markets.resolve(admin, world.ctx(), market.id, { kind: 'option', option: 1 });
      await world.assertLedger();
    });

    it('refuses after the window', async () => {
      const market = await openMarket('cpmm');
      await world.markets.resolve(admin, world.ctx(), market.id, { kind: 'option', option: 1 });
      world.advanceHours(49);
      expect(await codeOf(world.markets.unresolve(admin, world.ctx(), market.id, 'late'))).toBe('CONFLICT');
    });
  });
});
