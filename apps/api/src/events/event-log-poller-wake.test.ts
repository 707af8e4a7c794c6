import type { LoggedEvent, PlanDraft } from '@coachwire/core';
import { openPostgresStore, type PostgresStore } from '@coachwire/storage';
import { createTestPgDatabase, type TestPgDatabase } from '@coachwire/storage/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventLogPoller, type PolledEventLog } from './event-log-poller.js';

/** Longer than any test: a poller that delivers anything did so because it was woken, not on its timer. */
const NEVER_MS = 3_600_000;

let database: TestPgDatabase;
let reader: PostgresStore;
let writer: PostgresStore;
beforeEach(async () => {
  database = await createTestPgDatabase();
  // Two handles on one database: the poller's API instance, and another instance (or the bot) writing.
  reader = await openPostgresStore({ url: database.url, poolSize: 2 });
  writer = await openPostgresStore({ url: database.url, poolSize: 2 });
});
afterEach(async () => {
  await reader.close();
  await writer.close();
  await database.drop();
});

const draft = (coach: string): PlanDraft => ({
  coach,
  tradingDate: '2026-11-20',
  text: `${coach}: long SPY above 510`,
  author: { id: '111111111111111111', name: 'alice' },
  guildId: '900000000000000001',
  channelId: 'channel-1',
  channelName: 'plans',
  sourceMessageId: null,
  charts: [],
  createdAt: '2026-11-20T13:00:00.000Z',
});

/** The reader's log, counting live wake-up subscriptions. */
function countingSubscriptions(store: PostgresStore): { log: PolledEventLog; active: () => number } {
  let active = 0;
  const log: PolledEventLog = {
    eventsAfter: (afterId, limit, domains) => store.eventLog.eventsAfter(afterId, limit, domains),
    latestEventId: () => store.eventLog.latestEventId(),
    countBetween: (afterId, upToId, domains) => store.eventLog.countBetween(afterId, upToId, domains),
    async onAppend(listener) {
      const unsubscribe = await store.eventLog.onAppend!(listener);
      active++;
      return async () => {
        active--;
        await unsubscribe();
      };
    },
  };
  return { log, active: () => active };
}

/** Resolves with the ids delivered once `count` have arrived. */
function collect(poller: EventLogPoller, count: number): Promise<number[]> {
  const ids: number[] = [];
  return new Promise((resolve) => {
    const unsubscribe = poller.subscribe((events: readonly LoggedEvent[]) => {
      ids.push(...events.map((event) => event.id));
      if (ids.length >= count) {
        unsubscribe();
        resolve(ids);
      }
    });
  });
}

describe('EventLogPoller woken by the backend', () => {
  it('reads at once when another instance appends, long before its timed poll', async () => {
    const { log, active } = countingSubscriptions(reader);
    const poller = new EventLogPoller(log, NEVER_MS, (error) => {
      throw error;
    });
    await writer.plans.insert(draft('old'));
    await poller.start();
    expect(poller.wokenByAppends).toBe(true);
    expect(active()).toBe(1);

    const delivered = collect(poller, 3);
    await writer.plans.insert(draft('ana'));
    await writer.plans.insert(draft('ben'));
    await writer.plans.insert(draft('cy'));
    // Only what came after start, each once, in id order.
    expect(await delivered).toEqual([2, 3, 4]);

    await poller.stop();
    expect(poller.wokenByAppends).toBe(false);
    expect(active()).toBe(0);
  });

  it('keeps polling on its timer where the backend has no wake-ups (SQLite)', async () => {
    const { onAppend: _unused, ...withoutWakeUps } = countingSubscriptions(reader).log;
    const poller = new EventLogPoller(withoutWakeUps, 20, (error) => {
      throw error;
    });
    await poller.start();
    expect(poller.wokenByAppends).toBe(false);
    const delivered = collect(poller, 1);
    await writer.plans.insert(draft('ana'));
    expect(await delivered).toEqual([1]);
    await poller.stop();
  });
});
