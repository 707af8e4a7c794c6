import type { CoachwireDatabase } from '../database.js';
import { writeWhenUnlocked } from '../lock-waits.js';
import type { MarketMessagePort } from '../ports.js';
import { toCoachwireError } from '../storage-errors.js';
import { toDueAnnouncement, toLink, toSettlementPayouts } from './market-message-rows.js';
import { type MarketMessageStatements, prepareMarketMessageStatements } from './market-message-statements.js';

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
  #statements: MarketMessageStatements | undefined;

  constructor(handle: CoachwireDatabase) {
    this.#handle = handle;
  }

  get #stmts(): MarketMessageStatements {
    this.#statements ??= prepareMarketMessageStatements(this.#handle);
    return this.#statements;
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
    await this.#write(() => this.#stmts.link.run({ ...link }));
  }

  async linkOf(marketId: number): Promise<MarketMessageLink | null> {
    const row = this.#run('read', () => this.#stmts.linkOf.get({ marketId }));
    return row ? toLink(row) : null;
  }

  /** Messages whose market closed (at `now`) or settled since they were last announced, oldest first. */
  async due(now: string, limit = 100): Promise<DueAnnouncement[]> {
    return this.#run('read', () => this.#stmts.due.all({ now, limit }).map(toDueAnnouncement));
  }

  /** Claims the close announcement; false when it was already made. */
  async claimClose(marketId: number): Promise<boolean> {
    return this.#write(() => this.#stmts.claimClose.run({ marketId }).changes === 1);
  }

  /** Claims the announcement of settlement number `settlements`; false when it (or a later one) was made. */
  async claimSettlement(marketId: number, settlements: number): Promise<boolean> {
    return this.#write(() => this.#stmts.claimSettlement.run({ marketId, settlements }).changes === 1);
  }

  /**
   * Gives back a claim made with `claimSettlement(marketId, settlements)` whose announcement could not be posted,
   * so the next sweep tries again: `announced` is what the row said before the claim. Nothing changes when a
   * later settlement was claimed meanwhile.
   */
  async releaseSettlement(marketId: number, settlements: number, announced: number): Promise<void> {
    await this.#write(() => this.#stmts.releaseSettlement.run({ marketId, settlements, announced }));
  }

  /** What the market's current settlement paid each member (resolution payouts or cancellation refunds). */
  async payouts(marketId: number, top = 3): Promise<SettlementPayouts> {
    return this.#run('read', () => toSettlementPayouts(this.#stmts.payouts.all({ marketId }), top));
  }
}
