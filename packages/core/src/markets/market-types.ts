import type { Mechanism } from './mechanisms/pricing-state.js';

/** What storage keeps: open until settled. "Closed" is not stored; it is derived from `closesAt`. */
export type MarketStatus = 'open' | 'resolved' | 'cancelled';
/** What a market is at a given moment. */
export type MarketPhase = 'open' | 'closed' | 'resolved' | 'cancelled';

export interface MarketOption {
  readonly index: number;
  readonly label: string;
  /** The option's pool (see PricingState). */
  readonly pool: number;
}

/** How a market settled: to one option, or (cpmm only) to a probability in billionths ("MKT"). */
export type MarketResolution =
  | { readonly kind: 'option'; readonly option: number }
  | { readonly kind: 'probability'; readonly probability: number };

/** Who put up the subsidy, and so receives the liquidity provider's return. */
export type SubsidyPayer = 'creator' | 'house';

export interface Market {
  readonly id: number;
  readonly guildId: string;
  readonly question: string;
  readonly description: string | null;
  readonly mechanism: Mechanism;
  readonly options: readonly MarketOption[];
  /** cpmm's weight p in billionths; 0 for the others. */
  readonly weight: number;
  readonly subsidy: number;
  readonly subsidyPayer: SubsidyPayer;
  readonly creatorId: string;
  readonly creatorName: string;
  /** The plan a coach-call market is about. */
  readonly planId: number | null;
  readonly coachId: string | null;
  readonly createdAt: string;
  /** ISO-8601 UTC; moved to the moment of an early resolution or cancellation. */
  readonly closesAt: string;
  readonly status: MarketStatus;
  readonly resolution: MarketResolution | null;
  readonly settledAt: string | null;
  readonly settledBy: string | null;
  /** How many settlements were written (a settlement undone by unresolve still counts). */
  readonly settlements: number;
  /** Points held by the market's escrow account. */
  readonly escrow: number;
}

/** One user's holding of one option. Shares in micro-shares; points invested and taken out by selling. */
export interface Position {
  readonly marketId: number;
  readonly userId: string;
  readonly option: number;
  readonly shares: number;
  readonly invested: number;
  readonly takenOut: number;
  /** Points paid for this position by the current settlement (0 while unsettled). */
  readonly payout: number;
}

export type TradeSide = 'buy' | 'sell';

/** An executed trade as a decision asks for it to be recorded (append-only). */
export interface TradeDraft {
  readonly marketId: number;
  readonly userId: string;
  readonly option: number;
  readonly side: TradeSide;
  readonly points: number;
  readonly shares: number;
  /** Probabilities in billionths, before and after. */
  readonly probabilitiesBefore: readonly number[];
  readonly probabilitiesAfter: readonly number[];
}

export interface Trade extends TradeDraft {
  readonly id: number;
  readonly createdAt: string;
}
