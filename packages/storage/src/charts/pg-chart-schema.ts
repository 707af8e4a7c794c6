import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { plans } from '../plans/pg-plan-schema.js';

// PostgreSQL mirror of the charts table in schema.ts.

/** Chart images of a plan, in display order. The archive columns serve the chart-archiving job. */
export const charts = pgTable(
  'charts',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
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
