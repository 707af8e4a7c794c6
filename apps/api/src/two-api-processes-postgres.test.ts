import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openPostgresStore } from '@coachwire/storage';
import { createTestPgDatabase, type TestPgDatabase } from '@coachwire/storage/testing';
import { afterEach, expect, it } from 'vitest';
import {
  killAll,
  postJson as post,
  startApiProcess,
  writeApiProcessConfig,
} from './test-support/api-process.js';
import { EventStreamClient } from './test-support/event-stream-client.js';

/** main.ts with an hourly timed poll: another instance's events can only arrive through LISTEN/NOTIFY. */
const ENTRY = fileURLToPath(new URL('./test-support/api-process-without-timed-poll.ts', import.meta.url));
const GUILD = '900000000000000001';
const COACHES = ['d', 'i', 's', 'n'];
const DATES = ['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06'];
const USERS = 12;
const BETS_PER_USER = 6;

const running: ChildProcess[] = [];
const clients: EventStreamClient[] = [];
let dir = '';
let database: TestPgDatabase | undefined;
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  killAll(running);
  await database?.drop();
  database = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Event ids a stream received, in arrival order. */
const idsOf = (client: EventStreamClient) => client.events.map((frame) => Number(frame.id));

it('takes plans and bets from two API processes on one PostgreSQL database: nothing lost or doubled, every event on every stream', async () => {
  database = await createTestPgDatabase();
  dir = mkdtempSync(join(tmpdir(), 'coachwire-two-apis-pg-'));
  const configPath = writeApiProcessConfig(dir, '{ pool_size: 4 }');
  // As operators scale out: the same config on every instance, the database named by DATABASE_URL.
  const env = { DATABASE_URL: database.url };
  const instances = await Promise.all([
    startApiProcess({ configPath, entry: ENTRY, env, running }),
    startApiProcess({ configPath, entry: ENTRY, env, running }),
  ]);
  const [first, second] = instances.map((instance) => instance.port) as [number, number];

  // Two clients on each instance, from the start of the (empty) log, every domain.
  for (const port of [first, second, first, second]) {
    clients.push(await EventStreamClient.open(port, '/api/v1/events?types=*', { 'last-event-id': '0' }));
  }

  const created = await post(first, '/api/v1/markets', 'create-market', {
    guild_id: GUILD,
    user_id: 'creator',
    question: 'Two API instances on PostgreSQL?',
    mechanism: 'cpmm',
    closes_at: new Date(Date.now() + 86_400_000).toISOString(),
    subsidy: 1000,
  });
  expect(created.status).toBe(201);
  const marketId = created.body.id as number;

  // Each plan goes to both instances at once: the second to commit replaces it, never adds another.
  const planPairs = COACHES.flatMap((coach) =>
    DATES.map((date) => {
      const body = { coach, date, text: `${coach} on ${date}: long SPY above 510` };
      return Promise.all([
        post(first, '/api/v1/plans', `plan-${coach}-${date}-a`, body),
        post(second, '/api/v1/plans', `plan-${coach}-${date}-b`, body),
      ]);
    }),
  );
  // Bets alternate between the instances; every third is also sent to the other one with the same key, a
  // retry racing its original.
  const path = `/api/v1/markets/${marketId}/bets`;
  const bets = Array.from({ length: USERS * BETS_PER_USER }, (_, index) => {
    const body = { user_id: `user-${index % USERS}`, option: index % 3 === 0 ? 'no' : 'yes', amount: 7 };
    const [mine, other] = index % 2 === 0 ? [first, second] : [second, first];
    const key = `bet-${index}`;
    return Promise.all(
      index % 3 === 0
        ? [post(mine, path, key, body), post(other, path, key, body)]
        : [post(mine, path, key, body)],
    );
  });
  const [planAnswers, betAnswers] = await Promise.all([Promise.all(planPairs), Promise.all(bets)]);

  for (const pair of planAnswers) {
    expect(pair.map((answer) => answer.status).sort()).toEqual([200, 201]);
    expect(pair[0].body.id).toBe(pair[1].body.id);
  }
  const planIds = new Set(planAnswers.map((pair) => pair[0].body.id));
  expect(planIds.size).toBe(COACHES.length * DATES.length);
  for (const answers of betAnswers) {
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 201));
    // A replay answers the bet its original made.
    expect(new Set(answers.map((answer) => (answer.body.bet as { id: number }).id)).size).toBe(1);
  }
  const betIds = new Set(betAnswers.map((answers) => (answers[0]!.body.bet as { id: number }).id));
  expect(betIds.size).toBe(USERS * BETS_PER_USER);

  // One last write through the first instance only. The second makes no write of its own after it, and its
  // timed poll is an hour away: its streams can only learn of it through NOTIFY.
  const last = await post(first, '/api/v1/plans', 'last', { coach: 'd', date: '2026-03-09', text: 'last' });
  expect(last.status).toBe(201);

  const store = await openPostgresStore({ url: database.url, poolSize: 2 });
  try {
    expect(await store.countPlans({ includeDeleted: true })).toBe(COACHES.length * DATES.length + 1);
    const trades = await store.marketReads.tradesOf(marketId, { limit: 1000 });
    expect(new Set(trades.map((trade) => trade.id))).toEqual(betIds);
    expect(trades.reduce((sum, trade) => sum + trade.points, 0)).toBe(USERS * BETS_PER_USER * 7);
    expect(await store.checkLedger()).toMatchObject({ ok: true, violations: [] });

    const logged = (await store.eventLog.eventsAfter(0, 10_000)).map((event) => event.id);
    const newest = logged[logged.length - 1]!;
    for (const client of clients) {
      await client.until(() => idsOf(client).includes(newest));
      // Every event exactly once, in id order (which PostgreSQL's commit order guarantees).
      expect(idsOf(client)).toEqual(logged);
    }
  } finally {
    await store.close();
  }
}, 180_000);
