// The market shapes of /api/v1 (apps/api/src/schemas/market-schemas.ts, API_REFERENCE.md), as the
// dashboard reads them. The published client declares the same answers, so they are taken from it (types
// only: nothing of the client is bundled). Option ids are positions (YES is 0); probabilities are 0..1.
import type { CoachCalls } from '@coachwire/webhook-client';

export type {
  CoachCall,
  CoachCalls,
  Leaderboard,
  LeaderboardEntry,
  Market,
  MarketHistory,
  MarketMechanism as Mechanism,
  MarketOption,
  MarketResolution as Resolution,
  MarketStatus,
} from '@coachwire/webhook-client';

/** A trade as `/markets/{id}/trades` lists it. */
export interface Trade {
  id: number;
  market_id: number;
  user_id: string;
  /** The member's display name as the bot last saw it; null for a member it never saw. */
  user_name: string | null;
  option_id: number;
  kind: 'buy' | 'sell';
  /** Points paid (buy) or received (sell). */
  amount: number;
  shares: number;
  /** Each option's probability after the trade, in option order. */
  probabilities: number[];
  created_at: string;
}

export type CoachScoreboard = CoachCalls['scoreboard'];
