import { afterEach, beforeEach, expect, it } from 'vitest';
import { openPostgres, type PgHandle } from '../postgres/pg-database.js';
import { migratePostgres } from '../postgres/pg-migrate.js';
import { createTestPgDatabase, type TestPgDatabase } from '../test-support/pg-test-database.js';
import { appendEventsPg, EVENTS_CHANNEL } from './pg-event-append.js';

let database: TestPgDatabase;
let handle: PgHandle;
beforeEach(async () => {
  database = await createTestPgDatabase();
  handle = await openPostgres({ url: database.url, poolSize: 3 });
  await migratePostgres(handle);
});
afterEach(async () => {
  await handle.close();
  await database.drop();
});

const at = '2025-03-01T10:00:00.000Z';

it('appends a batch in order inside the caller’s transaction and notifies listeners at commit', async () => {
  const listener = await handle.pool.connect();
  await listener.query(`LISTEN ${EVENTS_CHANNEL}`);
  const notified = new Promise<string | undefined>((resolve) => {
    listener.once('notification', (message) => resolve(message.payload));
  });
  const client = await handle.pool.connect();
  let ids: number[];
  try {
    await client.query('BEGIN');
    ids = await appendEventsPg(client, [
      { type: 'market.created', guildId: 'g1', marketId: 7, payload: { a: 1 }, occurredAt: at },
      { type: 'points.granted', guildId: 'g1', payload: { b: 2 }, occurredAt: at },
    ]);
    await client.query('COMMIT');
  } finally {
    client.release();
  }
  expect(ids).toEqual([1, 2]);
  expect(await notified).toBe('2');
  listener.release();
  // A drizzle transaction works too, and its events follow the earlier ones.
  const more = await handle.db.transaction((tx) =>
    appendEventsPg(tx, [{ type: 'plan.created', planId: 3, payload: {}, occurredAt: at }]),
  );
  expect(more).toEqual([3]);
  const { rows } = await handle.pool.query(
    'SELECT id, domain, type, guild_id, plan_id, market_id, payload FROM events ORDER BY id',
  );
  expect(rows).toEqual([
    {
      id: 1,
      domain: 'market',
      type: 'market.created',
      guild_id: 'g1',
      plan_id: null,
      market_id: 7,
      payload: '{"a":1}',
    },
    {
      id: 2,
      domain: 'points',
      type: 'points.granted',
      guild_id: 'g1',
      plan_id: null,
      market_id: null,
      payload: '{"b":2}',
    },
    {
      id: 3,
      domain: 'plan',
      type: 'plan.created',
      guild_id: null,
      plan_id: 3,
      market_id: null,
      payload: '{}',
    },
  ]);
});

it('adds nothing for an empty batch, and refuses a type outside the known domains', async () => {
  expect(await handle.db.transaction((tx) => appendEventsPg(tx, []))).toEqual([]);
  await expect(
    handle.db.transaction((tx) => appendEventsPg(tx, [{ type: 'chess.moved', payload: {}, occurredAt: at }])),
  ).rejects.toThrow(/known domain/);
});
