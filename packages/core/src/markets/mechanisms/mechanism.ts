import { SHARE_UNIT } from '../../shared/fixed-point.js';
import { cpmmBuy, cpmmInitialPools, cpmmSell, cpmmYesProbability } from './cpmm.js';
import { lmsrBuy, lmsrProbabilities, lmsrSell } from './lmsr.js';
import { poolBuy, poolPayoutIfWins, poolProbabilities } from './parimutuel.js';
import type { BuyPricing, Mechanism, PricingState, SellPricing } from './pricing-state.js';

/** The pools a new market starts with. */
export function initialPools(mechanism: Mechanism, subsidy: number, optionCount: number): number[] {
  if (mechanism === 'cpmm') return cpmmInitialPools(subsidy);
  return Array.from({ length: optionCount }, () => 0);
}

/** The probability of each option; they sum to 1. */
export function probabilitiesOf(state: PricingState): number[] {
  switch (state.mechanism) {
    case 'cpmm': {
      const yes = cpmmYesProbability(state);
      return [yes, 1 - yes];
    }
    case 'lmsr':
      return lmsrProbabilities(state);
    case 'pool':
      return poolProbabilities(state);
  }
}

/** Prices a buy of `points` on `option`. Pure: the same state and inputs always give the same result. */
export function priceBuy(state: PricingState, option: number, points: number): BuyPricing {
  switch (state.mechanism) {
    case 'cpmm':
      return cpmmBuy(state, option, points);
    case 'lmsr':
      return lmsrBuy(state, option, points);
    case 'pool':
      return poolBuy(state, option, points);
  }
}

/** Prices a sell of `shares` micro-shares of `option` (AMM mechanisms only). */
export function priceSell(state: PricingState, option: number, shares: number): SellPricing {
  switch (state.mechanism) {
    case 'cpmm':
      return cpmmSell(state, option, shares);
    case 'lmsr':
      return lmsrSell(state, option, shares);
    case 'pool':
      throw new Error('a parimutuel pool has no selling');
  }
}

/** Points the shares of a buy would pay if its option won, as things stand after the buy. */
export function payoutIfWins(after: PricingState, option: number, points: number, shares: number): number {
  if (after.mechanism === 'pool') return poolPayoutIfWins(after.pools, option, points);
  return Math.floor(shares / SHARE_UNIT);
}

export function isAmm(mechanism: Mechanism): boolean {
  return mechanism !== 'pool';
}

/**
 * The most extreme probability a trade may leave an option at. Past it float64 can no longer tell the price
 * from 0 or 1, so a buy that would go further is refused rather than priced wrongly.
 */
export const PROBABILITY_BOUND = 1e-6;

export function withinProbabilityBounds(probabilities: readonly number[]): boolean {
  return probabilities.every((p) => p >= PROBABILITY_BOUND && p <= 1 - PROBABILITY_BOUND);
}
