import { afterEach, beforeEach, expect, it } from 'vitest';
import { openPostgresStore, type PostgresStore } from '../postgres/pg-store.js';
import { createTestPgDatabase, type TestPgDatabase } from '../test-support/pg-test-database.js';

// The backend-neutral suite (market-message-store.test.ts) creates its markets through the ledger; until the
// PostgreSQL ledger is plugged into the store, this one writes the market rows directly.

let database: TestPgDatabase;
let store: PostgresStore;
beforeEach(async () => {
  database = await createTestPgDatabase();
  store = await openPostgresStore({ url: database.url, poolSize: 3 });
  await store.handle.pool.query(
    `INSERT INTO markets (guild_id, question, mechanism, weight, subsidy, subsidy_payer, creator_id, creator_name,
                          created_at, closes_at, status)
     VALUES ('g', 'Up?', 'pool', 0, 0, 'house', 'u0', 'zoe', '2026-03-01T00:00:00.000Z', '2026-03-02T00:00:00.000Z', 'open')`,
  );
});
afterEach(async () => {
  await store.close();
  await database.drop();
});

const link = { marketId: 1, guildId: 'g', channelId: 'c1', messageId: 'm1' };

it('links a message, moves it, and lists it as due once the market closes; only the first claim wins', async () => {
  const messages = store.marketMessages;
  await messages.link(link);
  await messages.link({ ...link, channelId: 'c2', messageId: 'm2' });
  expect(await messages.linkOf(1)).toEqual({ ...link, channelId: 'c2', messageId: 'm2' });
  expect(await messages.linkOf(2)).toBeNull();
  expect(await messages.due('2026-03-01T12:00:00.000Z')).toEqual([]);
  expect(await messages.due('2026-03-02T00:00:00.000Z')).toEqual([
    {
      ...link,
      channelId: 'c2',
      messageId: 'm2',
      closeDue: true,
      settlementDue: null,
      announcedSettlements: 0,
    },
  ]);
  const claims = await Promise.all([messages.claimClose(1), messages.claimClose(1)]);
  expect(claims.sort()).toEqual([false, true]);
  expect(await messages.due('2026-03-03T00:00:00.000Z')).toEqual([]);
});

it('lists a settlement once, with what it paid, biggest first and ties by user id', async () => {
  const messages = store.marketMessages;
  await messages.link(link);
  await store.handle.pool.query(
    `INSERT INTO positions (market_id, user_id, option_index, shares, invested, taken_out, payout) VALUES
       (1, 'b', 0, 10, 10, 0, 30), (1, 'a', 0, 10, 10, 0, 30), (1, 'c', 1, 5, 5, 0, 0), (1, 'd', 0, 1, 1, 0, 5)`,
  );
  await store.handle.pool.query(`UPDATE markets SET status = 'resolved', settlements = 1 WHERE id = 1`);
  expect(await messages.due('2026-03-01T12:00:00.000Z')).toEqual([
    { ...link, closeDue: false, settlementDue: 1, announcedSettlements: 0 },
  ]);
  expect(await messages.payouts(1, 2)).toEqual({
    top: [
      { userId: 'a', points: 30 },
      { userId: 'b', points: 30 },
    ],
    total: 65,
    recipients: 3,
  });
  expect(await messages.claimSettlement(1, 1)).toBe(true);
  expect(await messages.claimSettlement(1, 1)).toBe(false);
  expect(await messages.due('2026-03-01T12:00:00.000Z')).toEqual([]);
});
