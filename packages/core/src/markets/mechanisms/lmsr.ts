import { SHARE_UNIT } from '../../shared/fixed-point.js';
import type { BuyPricing, PricingState, SellPricing } from './pricing-state.js';

// Hanson's logarithmic market scoring rule. C(q) = b·ln Σ e^(q_j/b), with b = subsidy / ln n so the maker's
// worst-case loss is the subsidy. Everything is computed in log-sum-exp form so large q cannot overflow.

/** The liquidity b for a subsidy and number of options. */
export function lmsrLiquidity(subsidy: number, optionCount: number): number {
  return subsidy / Math.log(optionCount);
}

function logSumExp(values: readonly number[]): number {
  let max = Number.NEGATIVE_INFINITY;
  for (const value of values) if (value > max) max = value;
  let sum = 0;
  for (const value of values) sum += Math.exp(value - max);
  return max + Math.log(sum);
}

function scaled(pools: readonly number[], b: number): number[] {
  return pools.map((q) => q / SHARE_UNIT / b);
}

/** C(q) in points. */
export function lmsrCost(state: Pick<PricingState, 'pools' | 'subsidy'>): number {
  const b = lmsrLiquidity(state.subsidy, state.pools.length);
  return b * logSumExp(scaled(state.pools, b));
}

/** p_i = e^(q_i/b) / Σ e^(q_j/b), as a softmax shifted by the largest exponent. */
export function lmsrProbabilities(state: PricingState): number[] {
  const b = lmsrLiquidity(state.subsidy, state.pools.length);
  const exponents = scaled(state.pools, b);
  const max = Math.max(...exponents);
  const weights = exponents.map((value) => Math.exp(value - max));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  return weights.map((weight) => weight / total);
}

/**
 * Shares of `option` that `points` buy: Δ = b·ln(e^((C+M)/b) − Σ_{j≠i} e^(q_j/b)) − q_i. Rounded down, less
 * one micro-share against float error, and capped so the escrow still covers every option's payout.
 */
export function lmsrBuy(state: PricingState, option: number, points: number): BuyPricing {
  const b = lmsrLiquidity(state.subsidy, state.pools.length);
  const exponents = scaled(state.pools, b);
  const target = b * logSumExp(exponents) + points;
  const others = logSumExp(exponents.filter((_, index) => index !== option));
  const held = state.pools[option]! / SHARE_UNIT;
  const delta = target + b * Math.log1p(-Math.exp(others - target / b)) - held;
  const escrow = state.escrow + points;
  const cap = escrow * SHARE_UNIT - state.pools[option]!;
  const shares = Math.max(0, Math.min(Math.floor(delta * SHARE_UNIT) - 1, cap));
  const pools = [...state.pools];
  pools[option] = pools[option]! + shares;
  return { shares, pools, escrow };
}

/**
 * Points returned for selling `shares` micro-shares of `option`: C(q) − C(q − Δ·e_i), rounded down with a
 * margin for float error, and capped so the escrow still covers the largest remaining q_j.
 */
export function lmsrSell(state: PricingState, option: number, shares: number): SellPricing {
  const pools = [...state.pools];
  pools[option] = pools[option]! - shares;
  const exact = lmsrCost(state) - lmsrCost({ pools, subsidy: state.subsidy });
  const largest = Math.max(...pools);
  const cap = state.escrow - Math.ceil(largest / SHARE_UNIT);
  const points = Math.max(0, Math.min(Math.floor(exact - 1e-7), cap));
  return { points, pools, escrow: state.escrow - points };
}
