import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { EVENT_DOMAINS, EVENT_SCHEMA_VERSION } from './event-schema.js';

/**
 * PostgreSQL mirror of the event log (events/event-schema.ts). Identity ids are never reused; a trigger
 * (drizzle-pg custom migration) refuses UPDATE, and only retention pruning deletes. Ids become visible in id
 * order because every appender holds one advisory lock from insert to commit (events/pg-event-append.ts).
 */
export const events = pgTable(
  'events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
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
