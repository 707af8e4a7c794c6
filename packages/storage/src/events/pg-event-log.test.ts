import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openPostgresStore, type PostgresStore } from '../postgres/pg-store.js';
import { createTestPgDatabase, type TestPgDatabase } from '../test-support/pg-test-database.js';
import { planDraft } from '../test-support/temp-database.js';
import { appendEventsPg } from './pg-event-append.js';

let database: TestPgDatabase;
let first: PostgresStore;
let second: PostgresStore;
beforeEach(async () => {
  database = await createTestPgDatabase();
  // Two handles on one database: two instances of the API, or the bot and the API.
  first = await openPostgresStore({ url: database.url, poolSize: 3 });
  second = await openPostgresStore({ url: database.url, poolSize: 3 });
});
afterEach(async () => {
  await first.close();
  await second.close();
  await database.drop();
});

/**
 * Subscribes to `store`'s onAppend; `woken` resolves (and unsubscribes) the next time it fires. Wrapped in an
 * object because an async function cannot resolve to a promise.
 */
async function nextWake(store: PostgresStore): Promise<{ woken: Promise<void> }> {
  let wake!: () => void;
  const woken = new Promise<void>((resolve) => {
    wake = resolve;
  });
  const unsubscribe = await store.eventLog.onAppend!(() => wake());
  return { woken: woken.then(unsubscribe) };
}

describe('the PostgreSQL event log across instances', () => {
  it('wakes the listeners of another instance when one appends, and the event reads back in id order', async () => {
    const { woken } = await nextWake(second);
    const plan = await first.plans.insert(planDraft({ coach: 'ana' }));
    await woken;
    const seen = await second.eventLog.eventsAfter(0, 10);
    expect(seen).toMatchObject([{ id: 1, domain: 'plan', type: 'plan.created', planId: plan.id }]);

    const again = (await nextWake(second)).woken;
    await second.plans.insert(planDraft({ coach: 'ben' }));
    await first.plans.update(plan.id, {
      text: 'edited',
      editor: { id: '1', name: 'ana' },
      editedAt: '2026-03-02T15:00:00.000Z',
    });
    await again;
    const all = await first.eventLog.eventsAfter(0, 10);
    expect(all.map((event) => [event.id, event.type])).toEqual([
      [1, 'plan.created'],
      [2, 'plan.created'],
      [3, 'plan.updated'],
    ]);
    expect(await second.eventLog.latestEventId()).toBe(3);
    expect(await second.eventLog.countBetween(1, 3, ['plan'])).toBe(2);
  });

  it('makes concurrent appenders from both instances commit in id order, with no id seen late', async () => {
    const writers = [first, second].flatMap((store, index) =>
      Array.from({ length: 10 }, (_, n) =>
        store.handle.db.transaction((tx) =>
          appendEventsPg(tx, [
            {
              type: 'points.granted',
              guildId: `g${index}`,
              payload: { n },
              occurredAt: '2026-03-02T15:00:00.000Z',
            },
            {
              type: 'points.granted',
              guildId: `g${index}`,
              payload: { n },
              occurredAt: '2026-03-02T15:00:00.000Z',
            },
          ]),
        ),
      ),
    );
    // A poller reading `id > last` while they commit must never find a gap that fills in later.
    let last = 0;
    const seen: number[] = [];
    const polling = (async () => {
      while (seen.length < 40) {
        const batch = await second.eventLog.eventsAfter(last, 100, ['points']);
        for (const event of batch) {
          seen.push(event.id);
          last = event.id;
        }
      }
    })();
    const ids = (await Promise.all(writers)).flat();
    await polling;
    expect(ids.sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(seen).toEqual(ids);
  });

  it('re-opens a dropped LISTEN connection and wakes its listeners, so no append goes unnoticed', async () => {
    const { woken } = await nextWake(second);
    const { rows } = await first.handle.pool.query<{ n: number }>(
      `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
       WHERE datname = current_database() AND query LIKE 'LISTEN%'`,
    );
    expect(rows[0]!.n).toBe(1);
    await woken;
    const reListened = (await nextWake(second)).woken;
    await first.plans.insert(planDraft({ coach: 'cy' }));
    await reListened;
    expect(await second.eventLog.latestEventId()).toBe(1);
  });

  it('prunes old events but never the newest ones, oldest first', async () => {
    await first.handle.db.transaction((tx) =>
      appendEventsPg(
        tx,
        Array.from({ length: 6 }, (_, n) => ({
          type: 'market.traded',
          payload: { n },
          occurredAt: n < 4 ? '2025-01-01T00:00:00.000Z' : '2026-03-01T00:00:00.000Z',
        })),
      ),
    );
    const deleted = await first.eventLog.prune({
      maxAgeDays: 30,
      maxEvents: 100,
      keepNewest: 3,
      now: new Date('2026-03-02T00:00:00.000Z'),
    });
    expect(deleted).toBe(3);
    expect((await first.eventLog.eventsAfter(0, 10)).map((event) => event.id)).toEqual([4, 5, 6]);
    expect(
      await first.eventLog.prune({
        maxAgeDays: 365,
        maxEvents: 1,
        keepNewest: 1,
        now: new Date('2026-03-02'),
      }),
    ).toBe(2);
    expect(await first.eventLog.latestEventId()).toBe(6);
  });
});
