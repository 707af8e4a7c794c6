// Market shapes as issue 14 defines them for /api/v1/markets... Fields beyond those are read defensively:
// the routes are new, and the dashboard must not break on an extra or a missing one.

export type MarketStatus = 'open' | 'closed' | 'resolved' | 'cancelled';
export type Mechanism = 'cpmm' | 'lmsr' | 'pool';

export interface MarketOption {
  id: string | number;
  label: string;
  /** AMM markets (cpmm, lmsr); null for parimutuel ones. */
  probability: number | null;
  /** Parimutuel stake on this option; null for AMM markets. */
  pool: number | null;
}

export interface Market {
  id: string | number;
  guild_id: string;
  question: string;
  mechanism: Mechanism;
  status: MarketStatus;
  closes_at: string;
  options: MarketOption[];
  volume: number;
  bettors: number;
  /** The winning option's id or label, `MKT`, or null while unresolved. */
  resolution: string | number | { outcome?: string | number; probability?: number } | null;
  plan_id: number | null;
}

export interface Trade {
  id: string | number;
  user_id: string;
  user_name?: string | null;
  option_id: string | number;
  amount: number;
  shares: number;
  created_at?: string;
  /** Negative amounts or `kind: 'sell'` are sales. */
  kind?: string;
}

/** One point of `/markets/{id}/history`: when, and each option's probability then. */
export interface HistoryPoint {
  at: string;
  probabilities: Record<string, number>;
}

export interface LeaderboardEntry {
  rank?: number;
  user_id: string;
  user_name?: string | null;
  balance?: number;
  profit: number;
}

export interface CoachCall {
  plan_id: number;
  trading_date: string;
  market_id: string | number | null;
  probability_at_close: number | null;
  resolution: string | null;
}

export interface CoachScoreboard {
  calls: number;
  resolved?: number;
  hit_rate: number | null;
  average_probability: number | null;
  brier_score: number | null;
}

export interface CoachCalls {
  coach: string;
  calls: CoachCall[];
  scoreboard: CoachScoreboard;
}
