// The market shapes of /api/v1 (apps/api/src/schemas/market-schemas.ts, API_REFERENCE.md), as the
// dashboard reads them. Option ids are positions (YES is 0); probabilities are 0..1.

export type MarketStatus = 'open' | 'closed' | 'resolved' | 'cancelled';
export type Mechanism = 'cpmm' | 'lmsr' | 'pool';

export interface MarketOption {
  id: number;
  label: string;
  /** AMM markets (cpmm, lmsr); null for parimutuel ones. */
  probability: number | null;
  /** Parimutuel stake on this option; null for AMM markets. */
  pool: number | null;
  /** Parimutuel payout per point staked; null when nothing is staked or for AMMs. */
  odds: number | null;
}

export interface Resolution {
  /** The winning option's id, or MKT for a cpmm market resolved to a probability. */
  outcome: number | 'MKT';
  label: string | null;
  probability: number | null;
}

export interface Market {
  id: number;
  guild_id: string;
  question: string;
  description: string | null;
  mechanism: Mechanism;
  status: MarketStatus;
  created_at: string;
  closes_at: string;
  options: MarketOption[];
  volume: number;
  bettors: number;
  resolution: Resolution | null;
  plan_id: number | null;
  coach_id: string | null;
  creator_id: string;
  subsidy: number;
  settled_at: string | null;
}

export interface Trade {
  id: number;
  market_id: number;
  user_id: string;
  option_id: number;
  kind: 'buy' | 'sell';
  /** Points paid (buy) or received (sell). */
  amount: number;
  shares: number;
  /** Each option's probability after the trade, in option order. */
  probabilities: number[];
  created_at: string;
}

/** `/markets/{id}/history`: the opening, then each trade; probabilities keyed by option id. */
export interface MarketHistory {
  market_id: number;
  data: { at: string; probabilities: Record<string, number> }[];
}

export interface LeaderboardEntry {
  rank: number;
  user_id: string;
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
  /** The market's status; null when the plan has no market. */
  status: MarketStatus | null;
  /** The market's current P(YES). */
  probability: number | null;
  /** P(YES) when trading stopped: the crowd's confidence in the call. */
  probability_at_close: number | null;
  /** The winning option's label, or MKT. */
  resolution: string | null;
}

export interface CoachScoreboard {
  calls: number;
  resolved: number;
  hits: number;
  hit_rate: number | null;
  average_probability: number | null;
  brier_score: number | null;
}

export interface CoachCalls {
  coach: string;
  coach_name: string;
  calls: CoachCall[];
  scoreboard: CoachScoreboard;
}
