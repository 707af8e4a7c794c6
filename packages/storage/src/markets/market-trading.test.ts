import { MAX_GRANT, SHARE_UNIT } from '@coachwire/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LEDGER_BACKENDS } from '../test-support/ledger-backends.js';
import { type LedgerWorld, ledgerWorld } from '../test-support/ledger-world.js';
import { admin, alice, bob, codeOf, GUILD } from '../test-support/market-world.js';

describe.each(LEDGER_BACKENDS)('on $name', (backend) => {
  let world: LedgerWorld;
  beforeEach(async () => {
    world = await ledgerWorld(backend);
  });
  afterEach(() => world.dispose());

  const binary = (closesInHours = 24) => ({
    question: 'Will SPY close above 600 on Friday?',
    mechanism: 'cpmm' as const,
    closesAt: world.inHours(closesInHours),
    subsidy: 200,
  });

  describe('creating a market', () => {
    it("opens the creator's account with the starting grant and moves the subsidy into escrow", async () => {
      const market = await world.markets.create(alice, world.ctx(), binary());
      expect(market).toMatchObject({ id: 1, status: 'open', escrow: 200, subsidyPayer: 'creator' });
      expect(await world.balance(alice)).toBe(800);
      const events = await world.rows('SELECT domain, type, schema_version FROM events ORDER BY id');
      expect(events).toEqual([
        { domain: 'points', type: 'points.granted', schema_version: 1 },
        { domain: 'market', type: 'market.created', schema_version: 1 },
      ]);
      await world.assertLedger();
    });

    it('lets the house pay the subsidy when an admin creates the market', async () => {
      const market = await world.markets.create(admin, world.ctx(), binary());
      expect(market.subsidyPayer).toBe('house');
      expect(await world.balance(admin)).toBe(1000);
    });

    it('refuses bad input with a field, and writes nothing', async () => {
      expect(await codeOf(world.markets.create(alice, world.ctx(), { ...binary(), question: ' ' }))).toBe(
        'VALIDATION',
      );
      expect(
        await codeOf(world.markets.create(alice, world.ctx(), { ...binary(), closesAt: world.inHours(-1) })),
      ).toBe('VALIDATION');
      expect(
        await codeOf(
          world.markets.create(alice, world.ctx(), { ...binary(), options: ['Up', 'up'], mechanism: 'lmsr' }),
        ),
      ).toBe('VALIDATION');
      expect(await codeOf(world.markets.create(alice, world.ctx(), { ...binary(), subsidy: 99 }))).toBe(
        'VALIDATION',
      );
      // Only zero-width characters: a question or a button label that shows nothing.
      for (const invisible of ['\u200b', '\u200d\u2060', '\ufeff '])
        for (const input of [{ question: invisible }, { options: ['Yes', invisible] }])
          expect(await codeOf(world.markets.create(alice, world.ctx(), { ...binary(), ...input }))).toBe(
            'VALIDATION',
          );
      expect((await world.count('markets')) + (await world.count('transfers'))).toBe(0);
    });

    it('refuses a subsidy beyond the balance', async () => {
      expect(await codeOf(world.markets.create(alice, world.ctx(), { ...binary(), subsidy: 1001 }))).toBe(
        'INSUFFICIENT_BALANCE',
      );
    });
  });

  describe('quoting and buying', () => {
    it('executes exactly the quote, and moves the price', async () => {
      const market = await world.markets.create(admin, world.ctx(), binary());
      const quote = await world.markets.quoteBuy(GUILD, market.id, 0, 100);
      const trade = await world.markets.buy(bob, world.ctx(), {
        marketId: market.id,
        option: 0,
        points: 100,
      });
      expect(trade.shares).toBe(quote.shares);
      expect(trade.probabilities).toEqual(quote.probabilitiesAfter);
      expect(trade.probabilities[0]).toBeGreaterThan(0.5);
      expect(trade.balance).toBe(900);
      expect(quote.payoutIfWins).toBe(Math.floor(quote.shares / SHARE_UNIT));
      await world.assertLedger();
    });

    it('refuses with PRICE_MOVED when the minimum is no longer met, and trades nothing', async () => {
      const market = await world.markets.create(admin, world.ctx(), binary());
      const quote = await world.markets.quoteBuy(GUILD, market.id, 0, 100);
      await world.markets.buy(alice, world.ctx(), { marketId: market.id, option: 0, points: 300 });
      const moved = world.markets.buy(bob, world.ctx(), {
        marketId: market.id,
        option: 0,
        points: 100,
        minShares: quote.shares,
      });
      expect(await codeOf(moved)).toBe('PRICE_MOVED');
      expect(await world.count('trades')).toBe(1);
    });

    it('refuses bets over the balance, over the maximum, on unknown options and after the close', async () => {
      const market = await world.markets.create(admin, world.ctx(), binary(1));
      const bet = (points: number, option = 0) =>
        world.markets.buy(bob, world.ctx(), { marketId: market.id, option, points });
      expect(await codeOf(bet(1001))).toBe('INSUFFICIENT_BALANCE');
      expect(await codeOf(bet(10_001))).toBe('VALIDATION');
      expect(await codeOf(bet(0))).toBe('VALIDATION');
      expect(await codeOf(bet(10, 2))).toBe('VALIDATION');
      world.advanceHours(1);
      expect(await codeOf(bet(10))).toBe('MARKET_CLOSED');
      expect(await world.count('trades')).toBe(0);
      await world.assertLedger();
    });

    it('refuses a quote the trade would refuse: a price pushed to within 1e-6 of certainty', async () => {
      const market = await world.markets.create(admin, world.ctx(), { ...binary(), mechanism: 'lmsr' });
      await world.points.grant(admin, world.ctx(), bob.id, 4_500, 'whale');
      const quote = world.markets.quoteBuy(GUILD, market.id, 0, 5_000);
      await expect(quote).rejects.toMatchObject({ code: 'VALIDATION', message: /certainty/ });
      const buy = world.markets.buy(bob, world.ctx(), { marketId: market.id, option: 0, points: 5_000 });
      await expect(buy).rejects.toMatchObject({ code: 'VALIDATION', message: /certainty/ });
      expect(await world.count('trades')).toBe(0);
    });

    it('names the exact holding when a sale asks for more shares than are held', async () => {
      const market = await world.markets.create(admin, world.ctx(), binary());
      const bought = await world.markets.buy(bob, world.ctx(), {
        marketId: market.id,
        option: 0,
        points: 100,
      });
      expect(bought.shares % SHARE_UNIT).not.toBe(0);
      const sale = world.markets.sell(bob, world.ctx(), {
        marketId: market.id,
        option: 0,
        shares: bought.shares + 1,
      });
      await expect(sale).rejects.toMatchObject({
        code: 'VALIDATION',
        message: `You hold only ${bought.shares / SHARE_UNIT} shares of Yes.`,
      });
    });

    it('sells back to the maker for no more than was paid', async () => {
      const market = await world.markets.create(admin, world.ctx(), {
        ...binary(),
        mechanism: 'lmsr',
        options: ['A', 'B', 'C'],
      });
      const bought = await world.markets.buy(bob, world.ctx(), {
        marketId: market.id,
        option: 2,
        points: 150,
      });
      const sold = await world.markets.sell(bob, world.ctx(), {
        marketId: market.id,
        option: 2,
        shares: bought.shares,
      });
      expect(sold.points).toBeLessThanOrEqual(150);
      expect(sold.points).toBeGreaterThan(140);
      expect(sold.positionShares).toBe(0);
      expect(
        await codeOf(world.markets.sell(bob, world.ctx(), { marketId: market.id, option: 2, shares: 1 })),
      ).toBe('VALIDATION');
      await world.assertLedger();
    });
  });

  describe('idempotency keys', () => {
    it('returns the first result for a repeat, and CONFLICT for a different request under the same key', async () => {
      const market = await world.markets.create(admin, world.ctx(), binary());
      const request = { marketId: market.id, option: 1, points: 50 };
      const first = await world.markets.buy(bob, world.ctx('interaction-1'), request);
      const again = await world.markets.buy(bob, world.ctx('interaction-1'), request);
      expect(again).toEqual(first);
      expect(await world.count('trades')).toBe(1);
      expect(
        await codeOf(world.markets.buy(bob, world.ctx('interaction-1'), { ...request, points: 51 })),
      ).toBe('CONFLICT');
      expect(await world.balance(bob)).toBe(950);
    });

    it('keeps a refusal under its key: the retry is refused again once it could pass, another request conflicts', async () => {
      const market = await world.markets.create(admin, world.ctx(), binary());
      const request = { marketId: market.id, option: 0, points: 1001 };
      const refused = world.markets.buy(bob, world.ctx('interaction-2'), request);
      expect(await codeOf(refused)).toBe('INSUFFICIENT_BALANCE');
      await world.points.grant(admin, world.ctx(), bob.id, 500, 'top-up');
      let replayed = 0;
      const retry = world.markets.buy(
        bob,
        { ...world.ctx('interaction-2'), onReplay: () => (replayed += 1) },
        request,
      );
      await expect(retry).rejects.toMatchObject({
        code: 'INSUFFICIENT_BALANCE',
        message: 'You have 1,000 points; this needs 1,001.',
        details: { balance: 1000, required: 1001 },
      });
      expect(replayed).toBe(1);
      expect(
        await codeOf(world.markets.buy(bob, world.ctx('interaction-2'), { ...request, points: 10 })),
      ).toBe('CONFLICT');
      // A request refused for its own input never ran: corrected, it goes through under the same key.
      expect(
        await codeOf(world.markets.buy(bob, world.ctx('interaction-3'), { ...request, points: 0 })),
      ).toBe('VALIDATION');
      await world.markets.buy(bob, world.ctx('interaction-3'), { ...request, points: 10 });
      expect(await world.count('trades')).toBe(1);
      expect(await world.balance(bob)).toBe(1490);
      await world.assertLedger();
    });

    it('refuses a missing, empty, too long or unprintable key with VALIDATION, writing nothing', async () => {
      const market = await world.markets.create(admin, world.ctx(), binary());
      const request = { marketId: market.id, option: 1, points: 50 };
      // A caller from plain JavaScript can pass no key at all; the type does not stop it.
      const missing = { guildId: GUILD } as unknown as ReturnType<typeof world.ctx>;
      for (const context of [missing, world.ctx(''), world.ctx('k'.repeat(201)), world.ctx('two words')]) {
        expect(await codeOf(world.markets.buy(bob, context, request))).toBe('VALIDATION');
      }
      expect(await world.count('trades')).toBe(0);
      expect(await world.count('idempotency_keys')).toBe(1);
      await world.assertLedger();
    });
  });

  describe('points', () => {
    it('pays the daily claim once per trading day in the timezone', async () => {
      expect((await world.points.claimDaily(bob, world.ctx())).balance).toBe(1100);
      expect(await codeOf(world.points.claimDaily(bob, world.ctx()))).toBe('CONFLICT');
      world.advanceHours(24);
      expect((await world.points.claimDaily(bob, world.ctx())).balance).toBe(1200);
      await world.assertLedger();
    });

    it('lets only admins grant and remove points, with a reason, audited', async () => {
      expect(await codeOf(world.points.grant(bob, world.ctx(), alice.id, 50, 'gift'))).toBe('FORBIDDEN');
      await world.points.grant(admin, world.ctx(), alice.id, 500, 'tournament prize');
      expect((await world.points.grant(admin, world.ctx(), alice.id, -200, 'correction')).balance).toBe(1300);
      expect(await codeOf(world.points.grant(admin, world.ctx(), alice.id, -5000, 'too much'))).toBe(
        'INSUFFICIENT_BALANCE',
      );
      // Beyond what one grant may move: 2^53 - 1 was accepted and stored a balance one point off.
      for (const amount of [MAX_GRANT + 1, -(MAX_GRANT + 1), Number.MAX_SAFE_INTEGER]) {
        expect(
          await codeOf(world.points.grant(admin, world.ctx(), alice.id, amount, 'huge')),
          String(amount),
        ).toBe('VALIDATION');
      }
      expect((await world.points.grant(admin, world.ctx(), alice.id, MAX_GRANT, 'the most')).balance).toBe(
        1300 + MAX_GRANT,
      );
      const audit = await world.rows('SELECT actor_id, action, subject FROM audit_log ORDER BY id');
      expect(audit).toEqual([
        { actor_id: '900', action: 'points.grant', subject: 'user:101' },
        { actor_id: '900', action: 'points.remove', subject: 'user:101' },
        { actor_id: '900', action: 'points.grant', subject: 'user:101' },
      ]);
      await world.assertLedger();
    });
  });
});
