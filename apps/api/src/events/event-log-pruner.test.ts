import { openCoachwire } from '@coachwire/runtime';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { type ApiFixture, createApiFixture } from '../test-support/api-fixture.js';
import { seedEvents } from '../test-support/event-log-seed.js';

let fixture: ApiFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

describe('the API and its event log', () => {
  it('prunes the event log when the API starts, by count, keeping the newest a replay may need', async () => {
    fixture = await createApiFixture();
    seedEvents(fixture.bot.database, 50, new Date('2026-11-19T00:00:00Z'));
    const config = {
      ...fixture.config,
      api: {
        ...fixture.config.api,
        event_replay_max: 5,
        event_log_max_events: 20,
        event_log_max_age_days: 365,
      },
    };
    const coachwire = await openCoachwire(config, { logger: pino({ level: 'silent' }) });
    const app = await buildApp({ config, coachwire, logger: pino({ level: 'silent' }) });
    try {
      await app.ready();
      const count = () =>
        fixture!.bot.database.sqlite.prepare('SELECT count(*) AS n, min(id) AS oldest FROM events').get() as {
          n: number;
          oldest: number;
        };
      await new Promise<void>((resolve) => {
        const poll = () => (count().n === 20 ? resolve() : setImmediate(poll));
        poll();
      });
      expect(count()).toStrictEqual({ n: 20, oldest: 31 });
    } finally {
      await app.close();
      await coachwire.close();
    }
  });
});
