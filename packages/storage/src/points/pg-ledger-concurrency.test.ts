import {
  EVERY_DAY_TRADES,
  type Market,
  MarketService,
  type MarketServiceOptions,
  PointsService,
} from '@coachwire/core';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { PgMarketReadStore } from '../markets/pg-market-read-store.js';
import { openPostgres, type PgHandle } from '../postgres/pg-database.js';
import { migratedTestPg } from '../test-support/ledger-backends.js';
import { admin, GUILD } from '../test-support/market-world.js';
import { checkLedgerPg } from './pg-ledger-check.js';
import { PgLedgerStore } from './pg-ledger-store.js';

// Two instances (two pools, as two API processes would have) write to one PostgreSQL database at once: bets
// on one market and daily claims, some requests sent to both instances under the same idempotency key (a
// client retrying against the other replica). Nothing may be lost or doubled, and the ledger must check out.

const USERS = Array.from({ length: 8 }, (_, index) => ({ id: `u${index + 1}`, name: `user ${index + 1}` }));
const BETS = 240;
const now = Date.parse('2026-11-20T15:00:00.000Z');
const options: MarketServiceOptions = {
  timezone: 'America/New_York',
  clock: { now: () => now },
  tradingDays: EVERY_DAY_TRADES,
};

let database: Awaited<ReturnType<typeof migratedTestPg>>;
let second: PgHandle;
beforeEach(async () => {
  database = await migratedTestPg(6);
  second = await openPostgres({ url: database.url, poolSize: 6 });
});
afterEach(async () => {
  await second.close();
  await database.drop();
});

function instance(handle: PgHandle) {
  const ledger = new PgLedgerStore(handle);
  return { markets: new MarketService(ledger, options), points: new PointsService(ledger, options) };
}

/** The reply, or the error code it was refused with. */
async function outcome<T>(request: Promise<T>): Promise<T | { refused: string }> {
  try {
    return await request;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string') throw error;
    return { refused: code };
  }
}

it('loses and doubles nothing when two instances take bets and daily claims on one market at once', async () => {
  const a = instance(database.handle);
  const b = instance(second);
  const ctx = (key: string) => ({ guildId: GUILD, idempotencyKey: key });
  const market = await a.markets.create(admin, ctx('create'), {
    question: 'Will SPY close green today?',
    mechanism: 'cpmm',
    closesAt: new Date(now + 86_400_000).toISOString(),
    subsidy: 1000,
  });

  // Every 4th bet goes to both instances under one key; the rest alternate between them. Each user also
  // claims the daily grant under one key sent to both, and again under a second key (which must be refused).
  const bets = Array.from({ length: BETS }, (_, index) => ({
    key: `bet-${index}`,
    user: USERS[index % USERS.length]!,
    points: 1 + (index % 7),
    option: index % 3 === 0 ? 1 : 0,
    targets: index % 4 === 0 ? [a, b] : [index % 2 === 0 ? a : b],
  }));
  const betReplies = bets.flatMap((bet) =>
    bet.targets.map(async (target) => ({
      bet,
      reply: await outcome(
        target.markets.buy(bet.user, ctx(bet.key), {
          marketId: market.id,
          option: bet.option,
          points: bet.points,
        }),
      ),
    })),
  );
  const dailyReplies = USERS.flatMap((user) =>
    [0, 1, 2, 3].flatMap((n) =>
      (n === 0 ? [a, b] : [n % 2 === 0 ? a : b]).map(async (target) => {
        const key = `daily-${user.id}-${n}`;
        return { user, key, reply: await outcome(target.points.claimDaily(user, ctx(key))) };
      }),
    ),
  );
  const [betResults, dailyResults] = await Promise.all([Promise.all(betReplies), Promise.all(dailyReplies)]);

  // Every bet was accepted, and the same key answered the same on both instances.
  const byKey = new Map<string, unknown>();
  for (const { bet, reply } of betResults) {
    expect(reply, `bet ${bet.key}`).not.toHaveProperty('refused');
    if (byKey.has(bet.key)) expect(reply).toEqual(byKey.get(bet.key));
    else byKey.set(bet.key, reply);
  }
  const tradeIds = [...byKey.values()].map((reply) => (reply as { tradeId: number }).tradeId);
  expect(new Set(tradeIds).size).toBe(BETS);

  // Exactly one of each user's four keys took effect (the others are refused); a shared key's two deliveries agree.
  const claimedKeys = new Map<string, Set<string>>();
  const dailyByKey = new Map<string, unknown>();
  for (const { user, key, reply } of dailyResults) {
    if (dailyByKey.has(key)) expect(reply).toEqual(dailyByKey.get(key));
    dailyByKey.set(key, reply);
    if ('refused' in (reply as object)) expect(reply).toEqual({ refused: 'CONFLICT' });
    else claimedKeys.set(user.id, (claimedKeys.get(user.id) ?? new Set()).add(key));
  }
  for (const user of USERS) expect(claimedKeys.get(user.id)?.size, user.id).toBe(1);

  // The database agrees: one trade per bet, balances as the replies say, and every invariant holds.
  const count = async (sql: string, values: unknown[] = []) =>
    Number((await database.handle.pool.query(sql, values)).rows[0].n);
  expect(await count('SELECT count(*) AS n FROM trades WHERE market_id = $1', [market.id])).toBe(BETS);
  expect(await count(`SELECT count(*) AS n FROM events WHERE type = 'market.traded'`)).toBe(BETS);
  expect(await count(`SELECT count(*) AS n FROM transfers WHERE kind = 'daily'`)).toBe(USERS.length);
  for (const user of USERS) {
    const staked = bets.filter((bet) => bet.user.id === user.id).reduce((sum, bet) => sum + bet.points, 0);
    expect((await a.points.balance(GUILD, user.id)).balance, user.id).toBe(1000 + 100 - staked);
  }
  const report = await checkLedgerPg(database.handle);
  expect(report.violations).toEqual([]);
  const totals = await database.handle.pool.query('SELECT sum(balance)::bigint AS total FROM accounts');
  expect(totals.rows[0].total).toBe(0);
  const stats = await new PgMarketReadStore(second).marketById(market.id);
  expect(stats?.stats).toEqual({
    volume: bets.reduce((sum, bet) => sum + bet.points, 0),
    bettors: USERS.length,
  });
});

it('never overdraws a user who bets on several markets at once through both instances', async () => {
  const instances = [instance(database.handle), instance(second)];
  const ctx = (key: string) => ({ guildId: GUILD, idempotencyKey: key });
  const markets: Market[] = [];
  for (let index = 0; index < 5; index += 1) {
    markets.push(
      await instances[0]!.markets.create(admin, ctx(`create-${index}`), {
        question: `Market ${index}?`,
        mechanism: 'pool',
        options: ['Yes', 'No'],
        closesAt: new Date(now + 86_400_000).toISOString(),
        subsidy: 0,
      }),
    );
  }
  // 20 bets of 100 from a starting balance of 1,000, spread over five markets, so the market locks do not
  // queue them: only the account lock stands between them and an overdraft.
  const spender = USERS[0]!;
  const replies = await Promise.all(
    Array.from({ length: 20 }, (_, index) =>
      outcome(
        instances[index % 2]!.markets.buy(spender, ctx(`spend-${index}`), {
          marketId: markets[index % markets.length]!.id,
          option: 0,
          points: 100,
        }),
      ),
    ),
  );
  const refused = replies.filter((reply) => 'refused' in reply);
  expect(replies.length - refused.length).toBe(10);
  for (const reply of refused) expect(reply).toEqual({ refused: 'INSUFFICIENT_BALANCE' });
  expect((await instances[1]!.points.balance(GUILD, spender.id)).balance).toBe(0);
  expect((await checkLedgerPg(database.handle)).violations).toEqual([]);
});

it('runs a bet again when the server aborts it as a serialization failure or deadlock, and it lands once', async () => {
  const { markets, points } = instance(database.handle);
  const ctx = (key: string) => ({ guildId: GUILD, idempotencyKey: key });
  const market = await markets.create(admin, ctx('create'), {
    question: 'Aborted and run again?',
    mechanism: 'cpmm',
    closesAt: new Date(now + 86_400_000).toISOString(),
    subsidy: 1000,
  });
  // A fixed lock order makes both unreachable in practice, so the server is made to raise them: a trigger fails
  // a trade's insert (after the transaction has moved the points) on the first try with 40001, on the second
  // with 40P01. It counts tries with a sequence, which a rollback does not undo.
  await database.handle.pool.query(`
    CREATE SEQUENCE trade_tries;
    CREATE FUNCTION fail_first_tries() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE try bigint := nextval('trade_tries');
    BEGIN
      IF try = 1 THEN
        RAISE EXCEPTION 'injected serialization failure' USING ERRCODE = 'serialization_failure';
      ELSIF try = 2 THEN
        RAISE EXCEPTION 'injected deadlock' USING ERRCODE = 'deadlock_detected';
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER fail_first_tries BEFORE INSERT ON trades FOR EACH ROW EXECUTE FUNCTION fail_first_tries();
  `);
  const bettor = USERS[0]!;
  const reply = await markets.buy(bettor, ctx('bet-1'), { marketId: market.id, option: 0, points: 50 });

  const scalar = async (sql: string) => Number((await database.handle.pool.query(sql)).rows[0].n);
  // Three tries: the two the server aborted, then the one that committed.
  expect(await scalar(`SELECT last_value AS n FROM trade_tries`)).toBe(3);
  expect(await scalar('SELECT count(*) AS n FROM trades')).toBe(1);
  expect(await scalar(`SELECT id AS n FROM trades`)).toBe(reply.tradeId);
  expect(await scalar(`SELECT count(*) AS n FROM events WHERE type = 'market.traded'`)).toBe(1);
  expect((await points.balance(GUILD, bettor.id)).balance).toBe(1000 - 50);
  expect((await checkLedgerPg(database.handle)).violations).toEqual([]);
});
