import type { CoachwireDatabase } from '../database.js';
import { writeWhenUnlocked } from '../lock-waits.js';
import type { MarketMessagePort } from '../ports.js';
import { toCoachwireError } from '../storage-errors.js';
import {
  type DueRow,
  type LinkRow,
  type PayoutRow,
  toDueAnnouncement,
  toLink,
  toSettlementPayouts,
} from './market-message-rows.js';

/** Where a market's message is in Discord. */
export interface MarketMessageLink {
  readonly marketId: number;
  readonly guildId: string;
  readonly channelId: string;
  readonly messageId: string;
}

/** A market whose message shows less than has happened: it closed, or it settled, since the last announcement. */
export interface DueAnnouncement extends MarketMessageLink {
  readonly closeDue: boolean;
  /** The market's settlement count, when a settlement is not announced yet; otherwise null. */
  readonly settlementDue: number | null;
  /** The settlement last announced (0: none): what `releaseSettlement` puts back if this one cannot be posted. */
  readonly announcedSettlements: number;
}

/** What a settlement paid: the biggest recipients first, the total and how many were paid. */
export interface SettlementPayouts {
  readonly top: readonly { readonly userId: string; readonly points: number }[];
  readonly total: number;
  readonly recipients: number;
}

/**
 * The market messages the bot posted and what it announced in them. Announcements are claimed with a
 * conditional update before they are sent, so two sweeps (or a sweep and a command) never post one twice.
 */
export class MarketMessageStore implements MarketMessagePort {
  readonly #handle: CoachwireDatabase;

  constructor(handle: CoachwireDatabase) {
    this.#handle = handle;
  }

  #run<T>(action: string, work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw toCoachwireError(this.#handle.path, action, error);
    }
  }

  /** One statement; see writeWhenUnlocked. */
  async #write<T>(work: () => T): Promise<T> {
    try {
      return await writeWhenUnlocked(this.#handle, work);
    } catch (error) {
      throw toCoachwireError(this.#handle.path, 'write', error);
    }
  }

  /** Records (or moves) the message showing a market. */
  async link(link: MarketMessageLink): Promise<void> {
    await this.#write(() =>
      this.#handle.sqlite
        .prepare(
          `INSERT INTO market_messages (market_id, guild_id, channel_id, message_id) VALUES (?, ?, ?, ?)
           ON CONFLICT (market_id) DO UPDATE SET channel_id = excluded.channel_id, message_id = excluded.message_id`,
        )
        .run(link.marketId, link.guildId, link.channelId, link.messageId),
    );
  }

  async linkOf(marketId: number): Promise<MarketMessageLink | null> {
    const row = this.#run(
      'read',
      () =>
        this.#handle.sqlite
          .prepare(
            'SELECT market_id, guild_id, channel_id, message_id FROM market_messages WHERE market_id = ?',
          )
          .get(marketId) as LinkRow | undefined,
    );
    return row ? toLink(row) : null;
  }

  /** Messages whose market closed (at `now`) or settled since they were last announced, oldest first. */
  async due(now: string, limit = 100): Promise<DueAnnouncement[]> {
    const rows = this.#run(
      'read',
      () =>
        this.#handle.sqlite
          .prepare(
            `SELECT mm.market_id, mm.guild_id, mm.channel_id, mm.message_id, m.settlements, mm.announced_settlements,
                    (mm.close_announced = 0 AND m.closes_at <= ?) AS close_due,
                    (m.settlements > mm.announced_settlements AND m.status <> 'open') AS settlement_due
             FROM market_messages mm JOIN markets m ON m.id = mm.market_id
             WHERE (mm.close_announced = 0 AND m.closes_at <= ?)
                OR (m.settlements > mm.announced_settlements AND m.status <> 'open')
             ORDER BY mm.market_id LIMIT ?`,
          )
          .all(now, now, limit) as DueRow[],
    );
    return rows.map(toDueAnnouncement);
  }

  /** Claims the close announcement; false when it was already made. */
  async claimClose(marketId: number): Promise<boolean> {
    return this.#write(
      () =>
        this.#handle.sqlite
          .prepare(
            'UPDATE market_messages SET close_announced = 1 WHERE market_id = ? AND close_announced = 0',
          )
          .run(marketId).changes === 1,
    );
  }

  /** Claims the announcement of settlement number `settlements`; false when it (or a later one) was made. */
  async claimSettlement(marketId: number, settlements: number): Promise<boolean> {
    return this.#write(
      () =>
        this.#handle.sqlite
          .prepare(
            `UPDATE market_messages SET announced_settlements = ?, close_announced = 1
             WHERE market_id = ? AND announced_settlements < ?`,
          )
          .run(settlements, marketId, settlements).changes === 1,
    );
  }

  /**
   * Gives back a claim made with `claimSettlement(marketId, settlements)` whose announcement could not be posted,
   * so the next sweep tries again: `announced` is what the row said before the claim. Nothing changes when a
   * later settlement was claimed meanwhile.
   */
  async releaseSettlement(marketId: number, settlements: number, announced: number): Promise<void> {
    await this.#write(() =>
      this.#handle.sqlite
        .prepare(
          'UPDATE market_messages SET announced_settlements = ? WHERE market_id = ? AND announced_settlements = ?',
        )
        .run(announced, marketId, settlements),
    );
  }

  /** What the market's current settlement paid each member (resolution payouts or cancellation refunds). */
  async payouts(marketId: number, top = 3): Promise<SettlementPayouts> {
    return this.#run('read', () => {
      const rows = this.#handle.sqlite
        .prepare(
          `SELECT user_id, SUM(payout) AS points FROM positions WHERE market_id = ?
           GROUP BY user_id HAVING SUM(payout) > 0 ORDER BY points DESC, user_id`,
        )
        .all(marketId) as PayoutRow[];
      return toSettlementPayouts(rows, top);
    });
  }
}
