import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** The domains that write to the event log; an event's type starts with its domain ("market.traded"). */
export const EVENT_DOMAINS = ['plan', 'market', 'points'] as const;
export type EventDomain = (typeof EVENT_DOMAINS)[number];

/** The version of the payload format written now; readers branch on it when a payload changes shape. */
export const EVENT_SCHEMA_VERSION = 1;

/**
 * One append-only log for every domain (it was the plan event table; the migration kept its ids, so
 * server-sent-event clients resume across the upgrade). AUTOINCREMENT keeps ids monotonic and never reused.
 * Each change writes its event in the same transaction as the change. A trigger refuses UPDATE; rows are
 * deleted only by retention pruning (events/event-log-pruning.ts), oldest first, keeping what replay needs.
 */
export const events = sqliteTable(
  'events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    domain: text('domain', { enum: EVENT_DOMAINS }).notNull(),
    type: text('type').notNull(),
    schemaVersion: integer('schema_version').notNull().default(EVENT_SCHEMA_VERSION),
    guildId: text('guild_id'),
    planId: integer('plan_id'),
    marketId: integer('market_id'),
    payload: text('payload').notNull(),
    occurredAt: text('occurred_at').notNull(),
  },
  (table) => [
    index('events_domain_id_idx').on(table.domain, table.id),
    index('events_market_id_idx').on(table.marketId),
    check(
      'events_type_in_domain',
      sql`substr(${table.type}, 1, length(${table.domain}) + 1) = ${table.domain} || '.'`,
    ),
  ],
);
