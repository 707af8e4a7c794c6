import { EVENT_LOG_DOMAINS } from '@coachwire/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CoachwireDatabase } from '../database.js';
import { migratedTempDatabase } from '../test-support/temp-database.js';
import { SqliteEventLog } from './sqlite-event-log.js';

let handle: CoachwireDatabase;
let dispose: () => void;
beforeEach(async () => {
  ({ handle, dispose } = await migratedTempDatabase());
});
afterEach(() => dispose());

/** Appends events as the services do, one per domain in turn; plus one of a domain this version does not know. */
function appendEvents(): void {
  const insert = handle.sqlite.prepare(
    `INSERT INTO events (domain, type, guild_id, payload, occurred_at)
     VALUES (?, ?, 'guild', '{}', '2026-11-27T12:00:00.000Z')`,
  );
  for (const [domain, type] of [
    ['plan', 'plan.created'],
    ['market', 'market.traded'],
    ['points', 'points.granted'],
    ['market', 'market.traded'],
    ['tournament', 'tournament.started'],
    ['plan', 'plan.updated'],
  ]) {
    insert.run(domain, type);
  }
}

const idsAndTypes = (events: readonly { id: number; type: string }[]) =>
  events.map((event) => [event.id, event.type]);

describe('the SQLite event log', () => {
  it('reads every known domain after a position, in id order, up to the limit', async () => {
    appendEvents();
    const log = new SqliteEventLog(handle);
    expect(idsAndTypes(await log.eventsAfter(1, 10))).toEqual([
      [2, 'market.traded'],
      [3, 'points.granted'],
      [4, 'market.traded'],
      [6, 'plan.updated'],
    ]);
    expect(idsAndTypes(await log.eventsAfter(0, 2))).toEqual([
      [1, 'plan.created'],
      [2, 'market.traded'],
    ]);
    expect(await log.eventsAfter(6, 10)).toEqual([]);
  });

  it('reads only the domains asked for', async () => {
    appendEvents();
    const log = new SqliteEventLog(handle);
    expect(idsAndTypes(await log.eventsAfter(0, 10, ['plan', 'points']))).toEqual([
      [1, 'plan.created'],
      [3, 'points.granted'],
      [6, 'plan.updated'],
    ]);
    expect(idsAndTypes(await log.eventsAfter(0, 10, [...EVENT_LOG_DOMAINS]))).toEqual(
      idsAndTypes(await log.eventsAfter(0, 10)),
    );
  });
});
