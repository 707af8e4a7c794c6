import { primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The display name each member last had in a guild, as the bot saw it: for the dashboard and the API, which
 * otherwise know members only by their Discord ids. Cosmetic; nothing in the ledger depends on it.
 */
export const memberNames = sqliteTable(
  'member_names',
  {
    guildId: text('guild_id').notNull(),
    userId: text('user_id').notNull(),
    name: text('name').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.guildId, table.userId] })],
);
