/** The three ways a market prices its options (see MARKETS.md). */
export const MECHANISMS = ['cpmm', 'lmsr', 'pool'] as const;
export type Mechanism = (typeof MECHANISMS)[number];

/**
 * What a mechanism needs to price a trade; every field is an integer.
 * - cpmm: `pools` = [y, n], the maker's YES and NO shares in micro-shares; `weight` = p in billionths.
 * - lmsr: `pools` = q_i, the shares traders hold of each option, in micro-shares.
 * - pool: `pools` = P_i, the points staked on each option.
 */
export interface PricingState {
  readonly mechanism: Mechanism;
  readonly pools: readonly number[];
  readonly weight: number;
  /** Points the maker put in (0 for the parimutuel pool). */
  readonly subsidy: number;
  /** Points the market's escrow account holds. */
  readonly escrow: number;
}

/** A buy as the mechanism prices it: micro-shares the trader receives and the state after. */
export interface BuyPricing {
  readonly shares: number;
  readonly pools: number[];
  readonly escrow: number;
}

/** A sell as the mechanism prices it: points the trader receives and the state after. */
export interface SellPricing {
  readonly points: number;
  readonly pools: number[];
  readonly escrow: number;
}
