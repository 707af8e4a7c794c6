import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';

// PostgreSQL mirror of schema.ts: same table and column names, and ISO-8601 text timestamps like SQLite's,
// so one row mapper serves both backends and `db copy` moves rows unchanged.

/** One row per plan; deletes are soft (`deleted_at`), so a (coach, date) may have many dead rows but one live row. */
export const plans = pgTable(
  'plans',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
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

/** The text a plan had before each edit. */
export const planRevisions = pgTable(
  'plan_revisions',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
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
