import { EVENT_LOG_DOMAINS, type EventLogDomain } from '@coachwire/core';
import type { SQL } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import { PG_LOCK_KEYS } from '../postgres/pg-lock-keys.js';

/** The channel `NOTIFY` wakes; listeners (events/pg-event-log.ts) then read the table from their last id. */
export const EVENTS_CHANNEL = 'coachwire_events';

/** One event to append; its domain is the prefix of its type ("market.traded" → market). */
export interface PgEventDraft {
  readonly type: string;
  readonly guildId?: string | null | undefined;
  readonly planId?: number | null | undefined;
  readonly marketId?: number | null | undefined;
  /** Stored as JSON text, exactly as SQLite stores it. */
  readonly payload: object;
  readonly occurredAt: string;
}

/**
 * Where the events are written: a pg client inside an open transaction (BEGIN … COMMIT), or a drizzle
 * transaction (`db.transaction(async (tx) => …)`). Never the pool itself: the lock must be held to commit.
 */
export type PgEventWriter =
  | Pick<pg.ClientBase, 'query'>
  | { execute(query: SQL): Promise<{ rows: unknown[] }> };

const dialect = new PgDialect();

async function run(writer: PgEventWriter, query: SQL): Promise<Record<string, unknown>[]> {
  if ('execute' in writer) return (await writer.execute(query)).rows as Record<string, unknown>[];
  const { sql: text, params } = dialect.sqlToQuery(query);
  return (await writer.query(text, params)).rows as Record<string, unknown>[];
}

/** A whole array as one parameter (drizzle would otherwise spread it into a list). */
function column(values: readonly unknown[]): SQL {
  return sql`${sql.param(values)}`;
}

function domainOf(type: string): EventLogDomain {
  const domain = type.slice(0, type.indexOf('.'));
  if (!(EVENT_LOG_DOMAINS as readonly string[]).includes(domain)) {
    throw new Error(`event type ${type} does not start with a known domain`);
  }
  return domain as EventLogDomain;
}

/**
 * Appends events inside the caller's transaction and returns their ids, in order. Every PostgreSQL writer
 * of events goes through here (plans, ledger, markets), because two rules hold only if all of them do:
 *
 * - Ids must become visible in id order. A poller reads `id > last`; if a transaction holding id 11 commits
 *   before one holding id 10, a poller may see 11, move on, and never see 10. The transaction-scoped
 *   advisory lock, taken just before the insert and held to commit, makes commit order equal id order.
 *   Taking it late (after the change's own row locks) keeps the serialized stretch short.
 * - Other instances learn of new events at once: NOTIFY is delivered when (and only if) the transaction
 *   commits. The table stays the source of truth; the notification only wakes pollers.
 */
export async function appendEventsPg(
  writer: PgEventWriter,
  drafts: readonly PgEventDraft[],
): Promise<number[]> {
  if (drafts.length === 0) return [];
  // One statement, one round trip: the lock (a one-time filter, so it is held before the first identity
  // value is drawn), the whole batch (unnest keeps the drafts' order, so the ids follow it) and the NOTIFY.
  const rows = await run(
    writer,
    sql`with locked as (select pg_advisory_xact_lock(${PG_LOCK_KEYS.events})),
        inserted as (
          insert into events (domain, type, guild_id, plan_id, market_id, payload, occurred_at)
          select * from unnest(
            ${column(drafts.map((draft) => domainOf(draft.type)))}::text[],
            ${column(drafts.map((draft) => draft.type))}::text[],
            ${column(drafts.map((draft) => draft.guildId ?? null))}::text[],
            ${column(drafts.map((draft) => draft.planId ?? null))}::integer[],
            ${column(drafts.map((draft) => draft.marketId ?? null))}::integer[],
            ${column(drafts.map((draft) => JSON.stringify(draft.payload)))}::text[],
            ${column(drafts.map((draft) => draft.occurredAt))}::text[])
          where (select true from locked)
          returning id)
        select array_agg(id order by id) as ids, pg_notify(${EVENTS_CHANNEL}, max(id)::text) is null as notified
        from inserted`,
  );
  return ((rows[0]?.ids ?? []) as (number | string)[]).map(Number);
}
