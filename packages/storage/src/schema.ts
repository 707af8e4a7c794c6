import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// Timestamps are ISO-8601 UTC text: core speaks ISO strings, and they sort correctly as text.

/** One row per plan; deletes are soft (`deleted_at`), so a (coach, date) may have many dead rows but one live row. */
export const plans = sqliteTable(
  'plans',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    coach: text('coach').notNull(),
    tradingDate: text('trading_date').notNull(),
    text: text('text').notNull(),
    authorId: text('author_id'),
    authorName: text('author_name').notNull(),
    guildId: text('guild_id'),
    channelId: text('channel_id'),
    channelName: text('channel_name'),
    sourceMessageId: text('source_message_id'),
    createdAt: text('created_at').notNull(),
    editedAt: text('edited_at'),
    deletedAt: text('deleted_at'),
    // Who deleted the plan; kept for audit, not part of the Plan type.
    deletedById: text('deleted_by_id'),
    deletedByName: text('deleted_by_name'),
  },
  (table) => [
    uniqueIndex('plans_live_coach_date_unique')
      .on(table.coach, table.tradingDate)
      .where(sql`deleted_at is null`),
    index('plans_trading_date_id_idx').on(table.tradingDate, table.id),
    index('plans_author_id_idx').on(table.authorId),
    index('plans_source_message_id_idx').on(table.sourceMessageId),
  ],
);

/** Chart images of a plan, in display order. The archive columns serve the chart-archiving job. */
export const charts = sqliteTable(
  'charts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    planId: integer('plan_id')
      .notNull()
      .references(() => plans.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    url: text('url').notNull(),
    filename: text('filename').notNull(),
    contentType: text('content_type'),
    size: integer('size'),
    width: integer('width'),
    height: integer('height'),
    discordAttachmentId: text('discord_attachment_id'),
    sha256: text('sha256'),
    archiveStatus: text('archive_status', { enum: ['none', 'pending', 'archived', 'failed'] })
      .notNull()
      .default('none'),
    archiveAttempts: integer('archive_attempts').notNull().default(0),
    archiveError: text('archive_error'),
    archivedAt: text('archived_at'),
  },
  (table) => [
    index('charts_plan_id_position_idx').on(table.planId, table.position),
    check(
      'charts_archive_status_check',
      sql`${table.archiveStatus} in ('none', 'pending', 'archived', 'failed')`,
    ),
  ],
);

/** The text a plan had before each edit. */
export const planRevisions = sqliteTable(
  'plan_revisions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    planId: integer('plan_id')
      .notNull()
      .references(() => plans.id, { onDelete: 'cascade' }),
    previousText: text('previous_text').notNull(),
    editorId: text('editor_id'),
    editorName: text('editor_name').notNull(),
    editedAt: text('edited_at').notNull(),
  },
  (table) => [index('plan_revisions_plan_id_idx').on(table.planId)],
);

/** The bot's heartbeat: a single row (id = 1) the API reads for /health. */
export const botStatus = sqliteTable(
  'bot_status',
  {
    id: integer('id').primaryKey(),
    connected: integer('connected', { mode: 'boolean' }).notNull(),
    latencyMs: integer('latency_ms'),
    guilds: integer('guilds').notNull(),
    heartbeatAt: text('heartbeat_at').notNull(),
    mock: integer('mock', { mode: 'boolean' }).notNull(),
    // Nullable: rows from before migration 0001 have neither; readers derive the state from `connected`.
    state: text('state'),
    lastError: text('last_error'),
    // Nullable: rows from before migration 0007 were written by bots that claimed nothing.
    instanceId: text('instance_id'),
    host: text('host'),
    pid: integer('pid'),
  },
  (table) => [check('bot_status_single_row', sql`${table.id} = 1`)],
);

// The event log and the market and points tables live in their feature folders; drizzle-kit reads them here.
export { events, events as planEvents } from './events/event-schema.js';
export * from './markets/market-message-schema.js';
export * from './markets/market-schema.js';
export * from './members/member-name-schema.js';
export * from './points/points-schema.js';
