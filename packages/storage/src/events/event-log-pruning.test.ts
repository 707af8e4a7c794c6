import { afterEach, describe, expect, it } from 'vitest';
import type { CoachwireDatabase } from '../database.js';
import { SqlitePlanRepository } from '../plans/sqlite-plan-repository.js';
import type { CoachwireStore } from '../store.js';
import { STORE_BACKENDS } from '../test-support/backends.js';
import { migratedTempDatabase, planDraft } from '../test-support/temp-database.js';
import { pruneEventLog } from './event-log-pruning.js';

const NOW = new Date('2026-06-30T12:00:00.000Z');
const DAY = 86_400_000;

let dispose: (() => void | Promise<void>) | undefined;
afterEach(async () => {
  await dispose?.();
  dispose = undefined;
});

/** `count` events, one a day, the newest today (plus an optional run of fresh ones). */
async function eventLog(count: number): Promise<CoachwireDatabase> {
  const temp = await migratedTempDatabase();
  dispose = temp.dispose;
  const insert = temp.handle.sqlite.prepare(
    "INSERT INTO events (domain, type, plan_id, payload, occurred_at) VALUES ('plan', 'plan.created', 1, '{}', ?)",
  );
  temp.handle.sqlite.transaction(() => {
    for (let index = count - 1; index >= 0; index--)
      insert.run(new Date(NOW.getTime() - index * DAY).toISOString());
  })();
  return temp.handle;
}

const ids = (handle: CoachwireDatabase) =>
  (handle.sqlite.prepare('SELECT id FROM events ORDER BY id').all() as { id: number }[]).map((row) => row.id);

describe.each(STORE_BACKENDS)('pruning the event log on $name', (backend) => {
  /** `count` plans posted one a day, the newest today: one event each, through the store's own writes. */
  async function postedDaily(count: number): Promise<{ store: CoachwireStore; ids(): Promise<number[]> }> {
    const opened = await backend.open();
    dispose = opened.dispose;
    const { store } = opened;
    for (let index = count - 1; index >= 0; index--) {
      const day = new Date(NOW.getTime() - index * DAY);
      await store.plans.insert(
        planDraft({ tradingDate: day.toISOString().slice(0, 10), createdAt: day.toISOString() }),
      );
    }
    const ids = async () => (await store.eventLog.eventsAfter(0, 1000)).map((event) => event.id);
    return { store, ids };
  }

  it('deletes events older than the age limit', async () => {
    const { store, ids } = await postedDaily(10);
    const all = await ids();
    const deleted = await store.eventLog.prune({ maxAgeDays: 3.5, maxEvents: 1000, keepNewest: 1, now: NOW });
    expect(deleted).toBe(6);
    expect(await ids()).toStrictEqual(all.slice(6));
  });

  it('keeps only the newest events beyond the count limit', async () => {
    const { store, ids } = await postedDaily(10);
    const all = await ids();
    const deleted = await store.eventLog.prune({
      maxAgeDays: 100_000,
      maxEvents: 3,
      keepNewest: 1,
      now: NOW,
    });
    expect(deleted).toBe(7);
    expect(await ids()).toStrictEqual(all.slice(7));
  });

  it('never deletes the newest events a replay may need, however old', async () => {
    const { store, ids } = await postedDaily(10);
    const all = await ids();
    await store.eventLog.prune({ maxAgeDays: 1, maxEvents: 2, keepNewest: 5, now: NOW });
    expect(await ids()).toStrictEqual(all.slice(5));
    expect(await store.eventLog.latestEventId()).toBe(all.at(-1));
  });
});

describe('pruneEventLog on SQLite', () => {
  it('keeps only the newest events beyond the count limit, in batches', async () => {
    const handle = await eventLog(5000);
    const deleted = await pruneEventLog(handle, {
      maxAgeDays: 100_000,
      maxEvents: 300,
      keepNewest: 10,
      now: NOW,
    });
    expect(deleted).toBe(4700);
    expect(ids(handle)).toStrictEqual(Array.from({ length: 300 }, (_, index) => 4701 + index));
  });

  it('leaves a short log alone and never lets an id be reused', async () => {
    const handle = await eventLog(3);
    expect(await pruneEventLog(handle, { maxAgeDays: 1, maxEvents: 1, keepNewest: 5, now: NOW })).toBe(0);
    await pruneEventLog(handle, { maxAgeDays: 1, maxEvents: 1, keepNewest: 1, now: NOW });
    expect(ids(handle)).toStrictEqual([3]);
    handle.sqlite.prepare('DELETE FROM events').run();
    const repository = new SqlitePlanRepository(handle);
    expect(await repository.latestEventId()).toBe(0);
    handle.sqlite
      .prepare(
        "INSERT INTO events (domain, type, plan_id, payload, occurred_at) VALUES ('plan', 'plan.created', 1, '{}', ?)",
      )
      .run(NOW.toISOString());
    expect(ids(handle)).toStrictEqual([4]);
  });
});
