import { pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

/** PostgreSQL mirror of members/member-name-schema.ts: each member's last display name in a guild. */
export const memberNames = pgTable(
  'member_names',
  {
    guildId: text('guild_id').notNull(),
    userId: text('user_id').notNull(),
    name: text('name').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.guildId, table.userId] })],
);
