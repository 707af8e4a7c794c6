import type { Market, Position, TradeDraft } from '../markets/market-types.js';
import type { Transfer, TransferDraft } from './accounts.js';

/** A user's account as loaded inside an operation; null when the user has never used points. */
export interface UserAccount {
  readonly userId: string;
  readonly balance: number;
  /** The trading date of the last daily claim. */
  readonly lastDailyDate: string | null;
}

/** What an operation reads inside its write transaction before deciding. */
export interface LedgerLoad {
  /** Users whose accounts the decision reads (the market's creator is added when a market is loaded). */
  readonly userIds: readonly string[];
  readonly marketId?: number;
  /** Every position of the market (settlements), with every holder's account; else only `userIds`'. */
  readonly allPositions?: boolean;
  /** The un-reversed transfers of the market's latest settlement (unresolve). */
  readonly settlementTransfers?: boolean;
}

/** The state an operation decides on, read in the same transaction its effects are written in. */
export interface LedgerSnapshot {
  readonly guildId: string;
  readonly now: string;
  readonly users: ReadonlyMap<string, UserAccount | null>;
  readonly market: Market | null;
  readonly positions: readonly Position[];
  readonly settlementTransfers: readonly Transfer[];
  /** The id the next created market gets (ids are assigned inside the lock, so this is safe). */
  readonly nextMarketId: number;
  /** The id the first trade recorded by this operation gets (the next ones count up from it). */
  readonly nextTradeId: number;
}

export const LEDGER_EVENT_TYPES = [
  'market.created',
  'market.traded',
  'market.resolved',
  'market.cancelled',
  'market.unresolved',
  'points.granted',
] as const;
export type LedgerEventType = (typeof LEDGER_EVENT_TYPES)[number];

export interface LedgerEventDraft {
  readonly type: LedgerEventType;
  readonly marketId: number | null;
  readonly payload: Readonly<Record<string, unknown>>;
}

/** An admin action for the audit table. */
export interface AuditDraft {
  readonly actorId: string;
  readonly actorName: string;
  readonly action: string;
  readonly subject: string;
  readonly reason: string | null;
}

/** Everything one decision writes; storage applies it atomically with the idempotency record. */
export interface LedgerEffects {
  readonly transfers: readonly TransferDraft[];
  readonly dailyClaims: readonly { readonly userId: string; readonly tradingDate: string }[];
  /** Inserted when `market.id === snapshot.nextMarketId`, else updated (status, close, settlement, pools). */
  readonly market: Market | null;
  /** Full rows to upsert. */
  readonly positions: readonly Position[];
  readonly trades: readonly TradeDraft[];
  readonly events: readonly LedgerEventDraft[];
  readonly audit: readonly AuditDraft[];
}

export interface LedgerDecision<R> {
  readonly result: R;
  readonly effects: LedgerEffects;
}

/** One state-changing operation: what to load, and the pure function that decides on it. */
export interface LedgerOperation<R> {
  readonly guildId: string;
  /** When the request was made (ISO-8601); the operation's time unless `clock` is given. */
  readonly now: string;
  /**
   * Reads the clock (ISO-8601). When given, the store reads it once the operation holds its locks and uses
   * that instant as the snapshot's `now` and the date of everything written: a request that waited for
   * another (a bet queued behind a resolve, or behind the other process's write) is decided at the moment it
   * runs, so a market's close is judged in commit order and no trade is dated after a settlement it preceded.
   */
  readonly clock?: (() => string) | undefined;
  /** Null only for maintenance (the sweep), which is idempotent by its own checks. */
  readonly idempotency: { readonly key: string; readonly fingerprint: string } | null;
  /** Called when the key was used before and the stored result is returned instead (an API says so). */
  readonly onReplay?: (() => void) | undefined;
  readonly load: LedgerLoad;
  decide(snapshot: LedgerSnapshot): LedgerDecision<R>;
}

/** A user's market flows over a period, for profit and loss. */
export interface UserFlows {
  readonly userId: string;
  readonly balance: number;
  /** Points received from escrows minus points paid into them, in the period. */
  readonly tradingNet: number;
  /** Points minted to the user (grants, daily, starting) minus admin removals, in the period. */
  readonly minted: number;
}

/**
 * Where points and markets are kept (implemented by @coachwire/storage). `execute` runs one operation
 * atomically inside a write transaction: it checks the idempotency key (same key + same fingerprint returns
 * the stored result; a different fingerprint is CONFLICT), loads the snapshot, calls `decide`, and writes the
 * effects, the event, the audit rows and the idempotency record, or nothing at all; it resolves once they are
 * committed. (SQLite commits the operations asked for at once together, each in its own savepoint.)
 */
export interface LedgerStore {
  execute<R>(operation: LedgerOperation<R>): Promise<R>;
  getMarket(guildId: string, marketId: number): Promise<Market | null>;
  listMarkets(guildId: string, query: { status?: 'open' | 'settled'; limit: number }): Promise<Market[]>;
  /** Ids of unsettled markets whose close time is at or before `closedBefore` (for the auto-cancel sweep). */
  staleMarketIds(closedBefore: string, limit: number): Promise<{ guildId: string; marketId: number }[]>;
  positionsOf(marketId: number, userId: string): Promise<Position[]>;
  userAccount(guildId: string, userId: string): Promise<UserAccount | null>;
  /** Per-user flows over [from, to) (all time when omitted). */
  userFlows(guildId: string, period?: { from: string; to: string }): Promise<UserFlows[]>;
  /** Settled markets about a coach's calls. */
  coachCallMarkets(guildId: string, coachId: string): Promise<Market[]>;
  /** Deletes idempotency records created before `before`; returns how many. */
  pruneIdempotencyKeys(before: string): Promise<number>;
}
