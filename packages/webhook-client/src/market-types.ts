import type { CallOptions } from './types.js';

/** How a market prices its options. */
export type MarketMechanism = 'cpmm' | 'lmsr' | 'pool';
/** `closed`: past its close time, awaiting resolution. */
export type MarketStatus = 'open' | 'closed' | 'resolved' | 'cancelled';

export interface MarketOption {
  /** The option's id: its position in the market, from 0 (YES is 0). */
  id: number;
  label: string;
  /** The current probability (cpmm, lmsr); null for a parimutuel pool. */
  probability: number | null;
  /** Points staked on the option (pool); null for the AMMs. */
  pool: number | null;
  /** Pool: payout per point staked (total / pool); null when empty or for the AMMs. */
  odds: number | null;
}

export interface MarketResolution {
  /** The winning option's id, or `MKT` for a cpmm market resolved to a probability. */
  outcome: number | 'MKT';
  label: string | null;
  probability: number | null;
}

/** A market as served by `/api/v1/markets`. */
export interface Market {
  id: number;
  guild_id: string;
  question: string;
  description: string | null;
  mechanism: MarketMechanism;
  status: MarketStatus;
  created_at: string;
  closes_at: string;
  options: MarketOption[];
  /** Points traded: stakes plus sale proceeds. */
  volume: number;
  bettors: number;
  resolution: MarketResolution | null;
  plan_id: number | null;
  coach_id: string | null;
  creator_id: string;
  subsidy: number;
  settled_at: string | null;
}

export interface MarketPage {
  data: Market[];
  next_cursor: string | null;
}

export interface MarketFilter {
  guild_id?: string;
  status?: MarketStatus;
  plan_id?: number;
  /** Page size, 1 to 100. */
  limit?: number;
  cursor?: string;
}

/** Options of `getMarketHistory`. */
export interface MarketHistoryOptions extends CallOptions {
  /** The most points to return (at least 2): a longer history is sampled down to it by the API. */
  points?: number;
}

/** Options of `getCoachCalls`: the trading dates (YYYY-MM-DD, both ends included) and the call's signal. */
export interface CoachCallsRange extends CallOptions {
  from?: string;
  to?: string;
}

export interface MarketHistory {
  market_id: number;
  /** The opening, then each trade (sampled when many); probabilities by option id. */
  data: { at: string; probabilities: Record<string, number> }[];
}

export interface LeaderboardEntry {
  rank: number;
  user_id: string;
  /** The member's display name as the bot last saw it; null for a member it never saw. */
  user_name: string | null;
  balance: number;
  profit: number;
}

export interface Leaderboard {
  guild_id: string;
  period: 'all' | 'month';
  data: LeaderboardEntry[];
}

export interface CoachCall {
  plan_id: number;
  trading_date: string;
  market_id: number | null;
  status: MarketStatus | null;
  /** The market's current P(YES). */
  probability: number | null;
  /** P(YES) when trading stopped: the crowd's confidence in the call. */
  probability_at_close: number | null;
  /** The winning option's label, or `MKT`; null while unresolved. */
  resolution: string | null;
}

export interface CoachCalls {
  coach: string;
  coach_name: string;
  calls: CoachCall[];
  scoreboard: {
    calls: number;
    resolved: number;
    hits: number;
    hit_rate: number | null;
    average_probability: number | null;
    brier_score: number | null;
  };
}

/** A bet or a sell as executed. */
export interface ExecutedTrade {
  id: number;
  market_id: number;
  user_id: string;
  option_id: number;
  /** Points staked (bet) or received (sell). */
  amount: number;
  /** Shares as a decimal number; for a pool market it equals the stake. */
  shares: number;
  average_price: number;
}

export interface BetResult {
  bet: ExecutedTrade;
  market: Market;
  balance: number;
  position_shares: number;
}

export interface SellResult {
  sell: ExecutedTrade;
  market: Market;
  balance: number;
  position_shares: number;
}

/** What a trade would give now (the API's `/quote`, and the body of a PRICE_MOVED error). */
export interface MarketQuote {
  market_id: number;
  option_id: number;
  side: 'buy' | 'sell';
  amount: number;
  shares: number;
  average_price: number | null;
  probabilities_before: number[];
  probabilities_after: number[];
  payout_if_wins: number | null;
}

/** What `quote` asks about: a buy of `amount` points (the default side), or a sell of `shares`. */
export type QuoteInput = (
  | { option: number | string; side?: 'buy'; amount: number }
  | { option: number | string; side: 'sell'; shares: number }
) &
  CallOptions;

/**
 * Writes carry an idempotency key; one is generated when omitted, and every retry reuses it. A write aborted
 * through `signal` after it was sent may still have been applied: give your own key to retry it safely.
 */
export interface IdempotentInput extends CallOptions {
  idempotencyKey?: string;
}

export interface PlaceBetInput extends IdempotentInput {
  /** The Discord user betting. */
  userId: string;
  /** The option's id, or its label (any case). */
  option: number | string;
  amount: number;
  /** Refuse (PriceMovedError) if fewer shares would be received. */
  minShares?: number;
}

export interface SellInput extends IdempotentInput {
  userId: string;
  option: number | string;
  shares: number;
  minPoints?: number;
}

export interface CreateMarketInput extends IdempotentInput {
  guildId: string;
  /** The Discord user opening the market (pays the subsidy). */
  userId: string;
  question: string;
  mechanism: MarketMechanism;
  /** ISO-8601. */
  closesAt: string;
  options?: string[];
  subsidy?: number;
  initialProbability?: number;
  description?: string;
  planId?: number;
}

/** A market or points event from `subscribeMarkets`. */
export interface MarketEvent {
  id: number;
  type: string;
  guild_id: string | null;
  market_id: number | null;
  occurred_at: string;
  [field: string]: unknown;
}
