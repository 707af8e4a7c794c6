import type { BotInstance, BotStatus, EventLogReader } from '@coachwire/core';
import type { ArchivedChartRecord, ArchiveFacts } from './charts/chart-archive-repository.js';
import type { EventLogPruneOptions } from './events/event-log-pruning.js';
import type {
  DueAnnouncement,
  MarketMessageLink,
  SettlementPayouts,
} from './markets/market-message-store.js';

// The storage-side ports every backend implements (SQLite and PostgreSQL). They keep the method names and
// arguments of the SQLite classes, but every answer is a Promise: a network database cannot answer at once.

/** The bookkeeping of chart archiving: which charts wait, which are archived under which hash. */
export interface ChartArchivePort {
  /** A chart by id, or null. */
  get(chartId: number): Promise<ArchivedChartRecord | null>;
  /** The newest archived chart with this hash, or null. */
  getByHash(sha256: string): Promise<ArchivedChartRecord | null>;
  /** The charts of a plan, in order. */
  ofPlan(planId: number): Promise<ArchivedChartRecord[]>;
  /** Marks a plan's not-yet-archived charts as waiting for the archiver; resolves with how many. */
  markPlanPending(planId: number): Promise<number>;
  /** Charts of live plans still waiting, with fewer than `maxAttempts` tries so far. */
  listPending(maxAttempts: number, limit?: number): Promise<ArchivedChartRecord[]>;
  /** Records one successful archive; see recordArchivedCharts. */
  recordArchived(chartId: number, facts: ArchiveFacts): Promise<void>;
  /**
   * Records successful archives in one transaction; each plan whose chart URL became stable gets one
   * `plan.updated` event in that transaction.
   */
  recordArchivedCharts(archives: readonly { chartId: number; facts: ArchiveFacts }[]): Promise<void>;
  /** Records a failed attempt: pending again until `maxAttempts`, or failed at once when `final`. */
  recordFailure(
    chartId: number,
    error: string,
    options: { maxAttempts: number; final?: boolean },
  ): Promise<void>;
  /** Hashes that charts of live plans (or of every plan) point to. */
  referencedHashes(options?: { includeDeletedPlans?: boolean }): Promise<Set<string>>;
}

/** The bot's heartbeat row: the bot writes it, the API's /health reads it. */
export interface BotStatusPort {
  /** Replaces the heartbeat row. Rejects with STORAGE_UNAVAILABLE when the database cannot be written. */
  write(status: BotStatus): Promise<void>;
  /** The last heartbeat the bot wrote, or null if it never has. */
  read(): Promise<BotStatus | null>;
  /**
   * Claims the running-bot role for `status.holder` in one statement: writes `status` only if the row is still
   * `seen` (its heartbeat time, holder and state; null = no row yet), as read when judging the holder gone.
   * Resolves false, writing nothing, when another process changed the row meanwhile: of two bots claiming
   * together exactly one gets true.
   */
  claim(status: BotStatus & { readonly holder: BotInstance }, seen: BotStatus | null): Promise<boolean>;
  /** Writes the heartbeat only while `status.holder` still holds the role; resolves false, writing nothing, if not. */
  writeAsHolder(status: BotStatus & { readonly holder: BotInstance }): Promise<boolean>;
}

/** The market messages the bot posted and what it announced in them (claims are conditional updates). */
export interface MarketMessagePort {
  /** Records (or moves) the message showing a market. */
  link(link: MarketMessageLink): Promise<void>;
  linkOf(marketId: number): Promise<MarketMessageLink | null>;
  /** Messages whose market closed (at `now`) or settled since they were last announced, oldest first. */
  due(now: string, limit?: number): Promise<DueAnnouncement[]>;
  /** Claims the close announcement; false when it was already made. */
  claimClose(marketId: number): Promise<boolean>;
  /** Claims the announcement of settlement number `settlements`; false when it (or a later one) was made. */
  claimSettlement(marketId: number, settlements: number): Promise<boolean>;
  /** Gives a settlement's claim back (its announcement could not be posted): `announced` as it was before. */
  releaseSettlement(marketId: number, settlements: number, announced: number): Promise<void>;
  /** What the market's current settlement paid each member. */
  payouts(marketId: number, top?: number): Promise<SettlementPayouts>;
}

/**
 * Each member's display name in a guild, as the bot last saw it, for readers that know members only by id (the
 * dashboard, the API). Cosmetic: nothing else depends on it.
 */
export interface MemberNamePort {
  /** Records the member's current name (replacing an older one). */
  remember(guildId: string, userId: string, name: string, at: string): Promise<void>;
  /** The known names of those members, by user id; members never seen are absent. */
  namesOf(guildId: string, userIds: readonly string[]): Promise<Map<string, string>>;
}

/** The event log of every domain: reading (core's port), pruning, and wake-ups where the backend has them. */
export interface StoreEventLog extends EventLogReader {
  /** Deletes old events by age and count, never one of the newest `keepNewest`; resolves with how many. */
  prune(options: EventLogPruneOptions): Promise<number>;
  /**
   * Calls `listener` soon after any process appends an event (PostgreSQL: LISTEN/NOTIFY). Undefined where the
   * backend cannot (SQLite): the API keeps polling. Resolves with an unsubscribe function.
   */
  onAppend?(listener: () => void): Promise<() => Promise<void>>;
}
