import type { EventLogDomain, LoggedEvent } from '@coachwire/core';
import { SqliteEventLog } from '@coachwire/storage';
import { afterEach, describe, expect, it } from 'vitest';
import { type ApiFixture, createApiFixture } from '../test-support/api-fixture.js';
import { seedEvents } from '../test-support/event-log-seed.js';
import { EventLogPoller } from './event-log-poller.js';

let fixture: ApiFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

/** The real SQLite event log, counting its reads. */
class CountingEventLog extends SqliteEventLog {
  reads = 0;
  override eventsAfter(
    afterId: number,
    limit: number,
    domains?: readonly EventLogDomain[],
  ): Promise<LoggedEvent[]> {
    this.reads++;
    return super.eventsAfter(afterId, limit, domains);
  }
}

describe('EventLogPoller.pollNow', () => {
  it('serves every request of one turn with one read of the log, and delivers each event once', async () => {
    fixture = await createApiFixture();
    const log = new CountingEventLog(fixture.bot.database);
    const poller = new EventLogPoller(log, 60_000, (error) => {
      throw error;
    });
    const delivered: number[] = [];
    poller.subscribe((events) => delivered.push(...events.map((event) => event.id)));
    seedEvents(fixture.bot.database, 3);
    await Promise.all([poller.pollNow(), poller.pollNow(), poller.pollNow()]);
    expect(log.reads).toBe(1);
    expect(delivered).toEqual([1, 2, 3]);
  });

  it('reads again after a poll in flight, so an event written meanwhile is not missed', async () => {
    fixture = await createApiFixture();
    const log = new CountingEventLog(fixture.bot.database);
    const poller = new EventLogPoller(log, 60_000, (error) => {
      throw error;
    });
    const delivered: number[] = [];
    poller.subscribe((events) => delivered.push(...events.map((event) => event.id)));
    seedEvents(fixture.bot.database, 1);
    const first = poller.pollNow();
    const second = new Promise<void>((resolve) => {
      // Written once the first poll has read, then asked for again: the second poll must see it.
      const unsubscribe = poller.subscribe(() => {
        unsubscribe();
        fixture!.bot.database.sqlite
          .prepare(
            "INSERT INTO events (domain, type, plan_id, payload, occurred_at) VALUES ('plan', 'plan.updated', 2, '{}', ?)",
          )
          .run(new Date().toISOString());
        void poller.pollNow().then(resolve);
      });
    });
    await first;
    await second;
    expect(delivered).toEqual([1, 2]);
  });
});
