import type { Market, MarketPhase, Position, Trade } from './market-types.js';

/** Activity figures of a market, derived from its positions. */
export interface MarketStats {
  /** Points traded: every buy's stake plus every sell's proceeds. */
  readonly volume: number;
  /** Distinct users holding or having held a position. */
  readonly bettors: number;
}

export interface MarketWithStats {
  readonly market: Market;
  readonly stats: MarketStats;
}

/** A page of markets, newest first. `phase` is derived at `now` (open and closed are both stored "open"). */
export interface MarketListQuery {
  readonly now: string;
  readonly guildId?: string | undefined;
  readonly phase?: MarketPhase | undefined;
  readonly planId?: number | undefined;
  /** Only markets with an id below this one (the cursor of the previous page). */
  readonly beforeId?: number | undefined;
  readonly limit: number;
}

/** One point of a market's probability history: the probabilities (billionths) after a trade. */
export interface ProbabilityPoint {
  readonly at: string;
  readonly probabilities: readonly number[];
}

/** A position together with the market it is in. */
export interface PositionInMarket {
  readonly position: Position;
  readonly market: Market;
}

/** Points outside the house in one guild (everything the house minted and was not given back). */
export interface GuildCirculation {
  readonly guildId: string;
  readonly points: number;
}

/**
 * What the read side needs from storage: market pages, one market, its trades and price history, a user's
 * positions, the markets of coach calls, and the totals metrics show. Reads only; writes go through the
 * LedgerStore. Implemented by @coachwire/storage.
 */
export interface MarketReadStore {
  marketById(marketId: number): Promise<MarketWithStats | null>;
  listMarkets(query: MarketListQuery): Promise<MarketWithStats[]>;
  /** Trades of a market, newest first, with an id below `beforeId` when given. */
  tradesOf(marketId: number, query: { beforeId?: number | undefined; limit: number }): Promise<Trade[]>;
  /** At most `maxPoints` points of the price history, oldest first, spread evenly; the newest always kept. */
  historyOf(marketId: number, maxPoints: number): Promise<ProbabilityPoint[]>;
  /** The user's positions with shares left in unsettled markets of the guild. */
  openPositionsOf(guildId: string, userId: string): Promise<PositionInMarket[]>;
  /** Markets opened on any of these plans, oldest first. */
  marketsOfPlans(planIds: readonly number[]): Promise<MarketWithStats[]>;
  /** Unsettled markets whose close time is after `now`. */
  countOpenMarkets(now: string): Promise<number>;
  circulation(): Promise<GuildCirculation[]>;
}
