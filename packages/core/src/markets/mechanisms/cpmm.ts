import { PROBABILITY_UNIT, SHARE_UNIT } from '../../shared/fixed-point.js';
import type { BuyPricing, PricingState, SellPricing } from './pricing-state.js';

// Binary constant-product market maker with weight p (Manifold's formulation). Option 0 is YES, 1 is NO.
// The invariant is k = y^p · n^(1−p); every point in escrow backs one YES and one NO share.

/** Pools of a new market: the subsidy L mints L YES + L NO shares for the maker. */
export function cpmmInitialPools(subsidy: number): number[] {
  return [subsidy * SHARE_UNIT, subsidy * SHARE_UNIT];
}

/** P(YES) = p·n / ((1−p)·y + p·n). */
export function cpmmYesProbability(state: PricingState): number {
  const [y, n] = state.pools as [number, number];
  const p = state.weight / PROBABILITY_UNIT;
  return (p * n) / ((1 - p) * y + p * n);
}

/** ln k, for checking that k never decreases. */
export function cpmmLogInvariant(state: Pick<PricingState, 'pools' | 'weight'>): number {
  const [y, n] = state.pools as [number, number];
  const p = state.weight / PROBABILITY_UNIT;
  return p * Math.log(y) + (1 - p) * Math.log(n);
}

/** The bought option's pool, the other pool, and the bought option's weight in the invariant. */
function sides(state: PricingState, option: number): { own: number; other: number; w: number } {
  const [y, n] = state.pools as [number, number];
  const p = state.weight / PROBABILITY_UNIT;
  return option === 0 ? { own: y, other: n, w: p } : { own: n, other: y, w: 1 - p };
}

function withSides(option: number, own: number, other: number): number[] {
  return option === 0 ? [own, other] : [other, own];
}

/**
 * Buying `option` with `points`: the points mint that many YES+NO pairs into the pool, and the trader takes
 * out the shares of their option that keep k. Rounded down, less one micro-share so that float error can
 * never let k fall.
 */
export function cpmmBuy(state: PricingState, option: number, points: number): BuyPricing {
  const { own, other, w } = sides(state, option);
  const minted = points * SHARE_UNIT;
  // own' = own · (other / other')^((1−w)/w); written with log1p/expm1 to stay exact for small trades.
  const exponent = -((1 - w) / w) * Math.log1p(minted / other);
  const exact = minted - own * Math.expm1(exponent);
  const shares = Math.max(0, Math.floor(exact) - 1);
  return {
    shares,
    pools: withSides(option, own + minted - shares, other + minted),
    escrow: state.escrow + points,
  };
}

/**
 * Selling `shares` micro-shares of `option`: the trader gives them to the pool, which redeems C whole
 * points' worth of YES+NO pairs. C is the largest integer that keeps k, found by binary search, so the
 * trader receives floor and k never falls.
 */
export function cpmmSell(state: PricingState, option: number, shares: number): SellPricing {
  const { own, other, w } = sides(state, option);
  // Change in ln k when c micro pairs are redeemed; >= 0 means k is kept.
  const logChange = (c: number) => w * Math.log1p((shares - c) / own) + (1 - w) * Math.log1p(-c / other);
  let low = 0;
  // c must stay below the other pool (it is consumed) and at most the shares given.
  let high = Math.floor((Math.min(other - 1, shares) as number) / SHARE_UNIT);
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (logChange(middle * SHARE_UNIT) >= 0) low = middle;
    else high = middle - 1;
  }
  const redeemed = low * SHARE_UNIT;
  return {
    points: low,
    pools: withSides(option, own + shares - redeemed, other - redeemed),
    escrow: state.escrow - low,
  };
}
