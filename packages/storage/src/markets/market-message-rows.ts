import type { DueAnnouncement, MarketMessageLink, SettlementPayouts } from './market-message-store.js';

// Row mapping of the market-message queries, shared by the SQLite and PostgreSQL stores: both queries
// return these snake_case columns, with the two "due" flags as 0/1.

export interface LinkRow {
  market_id: number;
  guild_id: string;
  channel_id: string;
  message_id: string;
}

export interface DueRow extends LinkRow {
  close_due: number;
  settlements: number;
  announced_settlements: number;
  settlement_due: number;
}

export interface PayoutRow {
  user_id: string;
  points: number;
}

export function toLink(row: LinkRow): MarketMessageLink {
  return {
    marketId: row.market_id,
    guildId: row.guild_id,
    channelId: row.channel_id,
    messageId: row.message_id,
  };
}

export function toDueAnnouncement(row: DueRow): DueAnnouncement {
  return {
    ...toLink(row),
    closeDue: row.close_due === 1,
    settlementDue: row.settlement_due === 1 ? row.settlements : null,
    announcedSettlements: row.announced_settlements,
  };
}

/** Per-user payouts (biggest first) as the top `top`, the total and the number of recipients. */
export function toSettlementPayouts(rows: readonly PayoutRow[], top: number): SettlementPayouts {
  return {
    top: rows.slice(0, top).map((row) => ({ userId: row.user_id, points: row.points })),
    total: rows.reduce((sum, row) => sum + row.points, 0),
    recipients: rows.length,
  };
}
