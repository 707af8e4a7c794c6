import { largestRemainderSplit, mulDivFloor, SHARE_UNIT } from '../../shared/fixed-point.js';
import type { BuyPricing, PricingState } from './pricing-state.js';

// Parimutuel pool ("winners split the pot", as in Twitch Predictions). No maker, no selling.

/**
 * Implied probabilities (P_i + 1) / (T + n): one point of prior per option, so an empty pool shows even odds
 * and no option ever shows exactly 0 or 1 (the odds shown are still T / P_i).
 */
export function poolProbabilities(state: PricingState): number[] {
  const total = state.pools.reduce((sum, stake) => sum + stake, 0);
  return state.pools.map((stake) => (stake + 1) / (total + state.pools.length));
}

/** A stake of `points` on `option`: one share per point, the stake joins the option's pool. */
export function poolBuy(state: PricingState, option: number, points: number): BuyPricing {
  const pools = [...state.pools];
  pools[option] = pools[option]! + points;
  return { shares: points * SHARE_UNIT, pools, escrow: state.escrow + points };
}

/** What a stake would receive if `option` won with the pools as they are: floor(s · T / P_i). */
export function poolPayoutIfWins(pools: readonly number[], option: number, stake: number): number {
  const total = pools.reduce((sum, pool) => sum + pool, 0);
  const winning = pools[option]!;
  return winning === 0 ? stake : mulDivFloor(stake, total, winning);
}

/**
 * Splits the whole pot among the stakes on the winning option in proportion to them, by largest remainder,
 * so the payouts sum to the pot exactly. With no stake on the winner, each stake is refunded.
 */
export function poolSettlement(
  pot: number,
  winningStakes: readonly number[],
  allStakes: readonly number[],
): { winners: number[]; refunds: number[] | null } {
  const winningTotal = winningStakes.reduce((sum, stake) => sum + stake, 0);
  if (winningTotal === 0) return { winners: winningStakes.map(() => 0), refunds: [...allStakes] };
  return { winners: largestRemainderSplit(pot, winningStakes), refunds: null };
}
