import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { markets } from './market-schema.js';

/**
 * Where a market is shown in Discord, and what of its life the bot has announced there. The bot writes it; any
 * bot process after a restart reads it to disable the buttons of markets that closed meanwhile and to post
 * results of settlements it has not announced (including the API's auto-cancels).
 */
export const marketMessages = sqliteTable('market_messages', {
  marketId: integer('market_id')
    .primaryKey()
    .references(() => markets.id),
  guildId: text('guild_id').notNull(),
  channelId: text('channel_id').notNull(),
  messageId: text('message_id').notNull(),
  /** 1 once the message was edited to show the market closed (buttons disabled). */
  closeAnnounced: integer('close_announced').notNull().default(0),
  /** The market's `settlements` count when its last result was posted. */
  announcedSettlements: integer('announced_settlements').notNull().default(0),
});
