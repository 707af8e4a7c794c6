import { afterEach, expect, it } from 'vitest';
import { migratedTestPg, sqliteLedger } from '../test-support/ledger-backends.js';
import { type LedgerWorld, ledgerWorld } from '../test-support/ledger-world.js';
import { alice, bob, codeOf, servicesOnTestClock } from '../test-support/market-world.js';
import { PgLedgerStore } from './pg-ledger-store.js';

// An operation is decided at the moment it holds its locks, not when it was asked for. A bet asked for a
// moment before the close but run after it (queued behind another writer: the other process's transaction,
// or a resolve holding the market's row) was accepted after the close, dated before it: a resolve that had
// waited for it then dated the close before trades it settled.

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const market = (world: Pick<LedgerWorld, 'inHours'>) => ({
  question: 'Will SPY close above 600 on Friday?',
  mechanism: 'cpmm' as const,
  closesAt: world.inHours(1),
  subsidy: 200,
});

it('on sqlite: refuses a bet whose market closed while it waited for the write transaction', async () => {
  const world = await ledgerWorld(sqliteLedger);
  cleanups.push(world.dispose);
  const { id } = await world.markets.create(alice, world.ctx(), market(world));
  world.advanceHours(0.99);
  // Asked for before the close; the store runs it on the next turn, after the close has passed.
  const bet = world.markets.buy(bob, world.ctx(), { marketId: id, option: 0, points: 10 });
  world.advanceHours(0.02);
  expect(await codeOf(bet)).toBe('MARKET_CLOSED');
  expect(await world.count('trades')).toBe(0);
  await world.assertLedger();
});

it('on postgres: refuses a bet whose market closed while it waited for the market lock, and dates a resolve when it runs', async () => {
  const database = await migratedTestPg();
  cleanups.push(database.drop);
  const world = servicesOnTestClock(new PgLedgerStore(database.handle));
  const { id } = await world.markets.create(alice, world.ctx(), market(world));
  const holder = await database.handle.pool.connect();
  cleanups.push(async () => holder.release());
  /** Holds the market's row, as a resolve on another instance does, until `release()`. */
  const holdMarket = async (marketId: number) => {
    await holder.query('BEGIN');
    await holder.query('SELECT id FROM markets WHERE id = $1 FOR UPDATE', [marketId]);
    return () => holder.query('COMMIT');
  };
  /** Resolves once another backend of this database waits for a lock. */
  const someoneWaits = async () => {
    for (;;) {
      const { rows } = await database.handle.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE NOT l.granted AND a.datname = current_database()`,
      );
      if (rows[0]!.n > 0) return;
    }
  };

  world.advanceHours(0.5);
  let release = await holdMarket(id);
  const resolve = world.markets.resolve(
    { id: 'admin', name: 'admin', hasAdminPermission: true },
    world.ctx(),
    id,
    { kind: 'option', option: 0 },
  );
  await someoneWaits();
  world.advanceHours(0.1);
  await release();
  const settled = await resolve;
  expect(settled.status).toBe('resolved');
  const [row] = await database.handle.pool
    .query<{ settledAt: string; closesAt: string }>(
      'SELECT settled_at AS "settledAt", closes_at AS "closesAt" FROM markets WHERE id = $1',
      [id],
    )
    .then((result) => result.rows);
  expect(row).toEqual({ settledAt: world.now().toISOString(), closesAt: world.now().toISOString() });

  const second = await world.markets.create(alice, world.ctx(), market(world));
  world.advanceHours(0.99);
  release = await holdMarket(second.id);
  const bet = world.markets.buy(bob, world.ctx(), { marketId: second.id, option: 0, points: 10 });
  await someoneWaits();
  world.advanceHours(0.02);
  await release();
  expect(await codeOf(bet)).toBe('MARKET_CLOSED');
  const trades = await database.handle.pool.query('SELECT id FROM trades WHERE market_id = $1', [second.id]);
  expect(trades.rows).toEqual([]);
});
