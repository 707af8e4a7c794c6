import {
  HOUSE_ACCOUNT,
  type LedgerOperation,
  type LedgerSnapshot,
  type TradeResult,
  userAccount,
} from '@coachwire/core';
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

/** Frames in the write-ahead log; `restart` checkpoints it all and starts it over from empty. */
function walFrames(restart = false): number {
  const [row] = world.handle.sqlite.pragma(`wal_checkpoint(${restart ? 'TRUNCATE' : 'PASSIVE'})`) as {
    log: number;
  }[];
  return row!.log;
}

/** A grant from the house to `userId`, then (when `thenFail`) a trade on a market that does not exist. */
function grantOperation(userId: string, thenFail: boolean): LedgerOperation<string> {
  return {
    guildId: GUILD,
    now: world.now().toISOString(),
    idempotency: null,
    load: { userIds: [userId] },
    decide: (_snapshot: LedgerSnapshot) => ({
      result: userId,
      effects: {
        transfers: [
          {
            from: HOUSE_ACCOUNT,
            to: userAccount(userId),
            amount: 5,
            kind: 'admin_grant',
            marketId: null,
            settlement: null,
            reverses: null,
            memo: null,
          },
        ],
        dailyClaims: [],
        market: null,
        positions: [],
        trades: thenFail
          ? [
              {
                marketId: 999,
                userId,
                option: 0,
                side: 'buy',
                points: 1,
                shares: 1,
                probabilitiesBefore: [],
                probabilitiesAfter: [],
              },
            ]
          : [],
        events: [],
        audit: [],
      },
    }),
  };
}

describe('group commit of ledger operations', () => {
  it('answers operations asked for together from one transaction, a refused one changing nothing', async () => {
    const market = await world.markets.create(admin, world.ctx(), {
      question: 'Together?',
      mechanism: 'cpmm',
      closesAt: world.inHours(48),
    });
    for (const actor of [alice, bob, carol])
      await world.points.grant(admin, world.ctx(), actor.id, 100, 'test');
    walFrames(true);
    const bet = (actor: typeof alice, points: number, key: string) =>
      world.markets.buy(actor, world.ctx(key), { marketId: market.id, option: 0, points });
    const transfersBefore = world.count('transfers');
    // Asked for in the same turn of the event loop: Bob's is more than he has.
    const outcomes = await Promise.allSettled([
      bet(alice, 10, 'a'),
      bet(bob, 5_000, 'b'),
      bet(carol, 20, 'c'),
      bet(alice, 10, 'a'),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toStrictEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    const [first, refused, third, replay] = outcomes.map((outcome) =>
      outcome.status === 'fulfilled' ? (outcome.value as TradeResult) : outcome.reason,
    );
    expect(refused).toMatchObject({ code: 'INSUFFICIENT_BALANCE' });
    // The same key a second time in the same group is answered from the first one's record.
    expect(replay).toStrictEqual(first);
    // Carol's bet is the next trade, decided on the market as Alice's bet left it.
    expect(third.tradeId).toBe(first.tradeId + 1);
    expect(third.probabilities[0]).toBeGreaterThan(first.probabilities[0]!);
    expect(world.count('transfers') - transfersBefore).toBe(2);
    // Each started with 1,000 and the grant of 100.
    expect(await world.balance(alice)).toBe(1_090);
    expect(await world.balance(bob)).toBe(1_100);
    expect(await world.balance(carol)).toBe(1_080);
    world.assertLedger();
    // One transaction writes the pages both bets change once: fewer than the same two bets one after another.
    const together = walFrames();
    walFrames(true);
    await bet(alice, 10, 'd');
    await bet(carol, 20, 'e');
    expect(together).toBeLessThan(walFrames());
  });

  it('rolls a failed operation back alone, and forgets the account it created', async () => {
    const ledger = world.ledger;
    const outcomes = await Promise.allSettled([
      ledger.execute(grantOperation('dave', false)),
      ledger.execute(grantOperation('erin', true)),
      // Erin's account was created and then rolled back with her operation: this one must create it again.
      ledger.execute(grantOperation('erin', false)),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toStrictEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    expect((await ledger.userAccount(GUILD, 'dave'))?.balance).toBe(5);
    expect((await ledger.userAccount(GUILD, 'erin'))?.balance).toBe(5);
    expect(world.count('trades')).toBe(0);
    world.assertLedger();
  });

  it('keeps nothing of a group, and answers every member with the error, when SQLite rolls it all back', async () => {
    await world.ledger.execute(grantOperation('amy', false));
    // What SQLite does on a full disk or an I/O error in the middle of a transaction.
    const rolledBack: LedgerOperation<string> = {
      ...grantOperation('zoe', false),
      decide: () => {
        world.handle.sqlite.exec('ROLLBACK');
        throw new Error('disk I/O error');
      },
    };
    const outcomes = await Promise.allSettled([
      world.ledger.execute(grantOperation('dave', false)),
      world.ledger.execute(rolledBack),
      world.ledger.execute(grantOperation('erin', false)),
    ]);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      expect((outcome as PromiseRejectedResult).reason).toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    }
    expect(await world.ledger.userAccount(GUILD, 'dave')).toBeNull();
    expect(await world.ledger.userAccount(GUILD, 'erin')).toBeNull();
    // The store carries on: the next operation commits.
    await world.ledger.execute(grantOperation('erin', false));
    expect((await world.ledger.userAccount(GUILD, 'erin'))?.balance).toBe(5);
    world.assertLedger();
  });

  it('answers every operation of a group with the storage error when the group cannot commit', async () => {
    const pending = [
      world.ledger.execute(grantOperation('frank', false)),
      world.ledger.execute(grantOperation('grace', false)),
    ];
    // Closed before the group runs (it runs once this turn of the event loop is over).
    world.handle.sqlite.close();
    const outcomes = await Promise.allSettled(pending);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      expect((outcome as PromiseRejectedResult).reason).toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    }
  });
});
