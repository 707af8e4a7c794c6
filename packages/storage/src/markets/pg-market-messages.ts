import type { QueryResultRow } from 'pg';
import type { MarketMessagePort } from '../ports.js';
import type { PgHandle } from '../postgres/pg-database.js';
import {
  type DueRow,
  type LinkRow,
  type PayoutRow,
  toDueAnnouncement,
  toLink,
  toSettlementPayouts,
} from './market-message-rows.js';
import type { DueAnnouncement, MarketMessageLink, SettlementPayouts } from './market-message-store.js';

/**
 * The market messages the bot posted and what it announced in them, on PostgreSQL. Claims are conditional
 * updates, so two bot processes (or a sweep and a command) never post one announcement twice: under READ
 * COMMITTED the second UPDATE waits for the first's row lock, re-checks its WHERE, and changes nothing.
 */
export class PgMarketMessages implements MarketMessagePort {
  readonly #handle: PgHandle;

  constructor(handle: PgHandle) {
    this.#handle = handle;
  }

  async link(link: MarketMessageLink): Promise<void> {
    await this.#query(
      'write',
      `INSERT INTO market_messages (market_id, guild_id, channel_id, message_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (market_id) DO UPDATE SET channel_id = excluded.channel_id, message_id = excluded.message_id`,
      [link.marketId, link.guildId, link.channelId, link.messageId],
    );
  }

  async linkOf(marketId: number): Promise<MarketMessageLink | null> {
    const { rows } = await this.#query<LinkRow>(
      'read',
      'SELECT market_id, guild_id, channel_id, message_id FROM market_messages WHERE market_id = $1',
      [marketId],
    );
    return rows[0] ? toLink(rows[0]) : null;
  }

  async due(now: string, limit = 100): Promise<DueAnnouncement[]> {
    const { rows } = await this.#query<DueRow>(
      'read',
      `SELECT mm.market_id, mm.guild_id, mm.channel_id, mm.message_id, m.settlements, mm.announced_settlements,
              (mm.close_announced = 0 AND m.closes_at <= $1)::int AS close_due,
              (m.settlements > mm.announced_settlements AND m.status <> 'open')::int AS settlement_due
       FROM market_messages mm JOIN markets m ON m.id = mm.market_id
       WHERE (mm.close_announced = 0 AND m.closes_at <= $1)
          OR (m.settlements > mm.announced_settlements AND m.status <> 'open')
       ORDER BY mm.market_id LIMIT $2`,
      [now, limit],
    );
    return rows.map(toDueAnnouncement);
  }

  async claimClose(marketId: number): Promise<boolean> {
    const { rowCount } = await this.#query(
      'write',
      'UPDATE market_messages SET close_announced = 1 WHERE market_id = $1 AND close_announced = 0',
      [marketId],
    );
    return rowCount === 1;
  }

  async claimSettlement(marketId: number, settlements: number): Promise<boolean> {
    const { rowCount } = await this.#query(
      'write',
      `UPDATE market_messages SET announced_settlements = $1, close_announced = 1
       WHERE market_id = $2 AND announced_settlements < $1`,
      [settlements, marketId],
    );
    return rowCount === 1;
  }

  async releaseSettlement(marketId: number, settlements: number, announced: number): Promise<void> {
    await this.#query(
      'write',
      'UPDATE market_messages SET announced_settlements = $1 WHERE market_id = $2 AND announced_settlements = $3',
      [announced, marketId, settlements],
    );
  }

  async payouts(marketId: number, top = 3): Promise<SettlementPayouts> {
    // user_id ordered byte-wise (COLLATE "C"), as SQLite orders text, so ties list the same on both backends.
    const { rows } = await this.#query<PayoutRow>(
      'read',
      `SELECT user_id, SUM(payout) AS points FROM positions WHERE market_id = $1
       GROUP BY user_id HAVING SUM(payout) > 0 ORDER BY points DESC, user_id COLLATE "C"`,
      [marketId],
    );
    return toSettlementPayouts(rows, top);
  }

  async #query<Row extends object = Record<string, unknown>>(
    action: string,
    text: string,
    values: unknown[],
  ) {
    try {
      return await this.#handle.pool.query<Row & QueryResultRow>(text, values);
    } catch (error) {
      throw this.#handle.toError(action, error);
    }
  }
}
