import { sql } from 'drizzle-orm';
import { boolean, check, integer, pgTable, text } from 'drizzle-orm/pg-core';

// PostgreSQL mirror of the bot_status table in schema.ts; booleans are real booleans here (SQLite stores 0/1).

/** The bot's heartbeat: a single row (id = 1) the API reads for /health. */
export const botStatus = pgTable(
  'bot_status',
  {
    id: integer('id').primaryKey(),
    connected: boolean('connected').notNull(),
    latencyMs: integer('latency_ms'),
    guilds: integer('guilds').notNull(),
    heartbeatAt: text('heartbeat_at').notNull(),
    mock: boolean('mock').notNull(),
    state: text('state'),
    lastError: text('last_error'),
    // The bot process holding the running-bot role (null in rows from before claims).
    instanceId: text('instance_id'),
    host: text('host'),
    pid: integer('pid'),
  },
  (table) => [check('bot_status_single_row', sql`${table.id} = 1`)],
);
