import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { markets } from './pg-market-schema.js';

/** PostgreSQL mirror of markets/market-message-schema.ts: where a market is shown in Discord and what was announced. */
export const marketMessages = pgTable('market_messages', {
  marketId: integer('market_id')
    .primaryKey()
    .references(() => markets.id),
  guildId: text('guild_id').notNull(),
  channelId: text('channel_id').notNull(),
  messageId: text('message_id').notNull(),
  /** 1 once the message was edited to show the market closed (buttons disabled); 0/1 as in SQLite. */
  closeAnnounced: integer('close_announced').notNull().default(0),
  /** The market's `settlements` count when its last result was posted. */
  announcedSettlements: integer('announced_settlements').notNull().default(0),
});
