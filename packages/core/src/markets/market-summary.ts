import { fromProbabilityUnits, SHARE_UNIT, toProbabilityUnits } from '../shared/fixed-point.js';
import type { MarketStats } from './market-read-port.js';
import { marketPhase } from './market-rules.js';
import type { Market, MarketPhase, Position } from './market-types.js';
import { initialPools, isAmm, probabilitiesOf } from './mechanisms/mechanism.js';
import { poolPayoutIfWins } from './mechanisms/parimutuel.js';
import { pricingOf } from './quotes.js';

/** One option as a reader sees it. */
export interface OptionSummary {
  readonly index: number;
  readonly label: string;
  /** The current probability (for the pool: the implied one, (P_i + 1) / (T + n)). */
  readonly probability: number;
  /** The parimutuel stake on this option; null for the AMMs, whose pools are the maker's shares. */
  readonly pool: number | null;
  /** The parimutuel payout per point staked, T / P_i; null for the AMMs and for an empty option. */
  readonly odds: number | null;
}

/** How a settled market resolved, with the winning option's label. */
export type ResolutionSummary =
  | { readonly kind: 'option'; readonly option: number; readonly label: string }
  | { readonly kind: 'probability'; readonly probability: number };

/** A market as lists and pages show it: the market, its phase now, its prices and its activity. */
export interface MarketSummary {
  readonly market: Market;
  readonly phase: MarketPhase;
  readonly options: readonly OptionSummary[];
  readonly probabilities: readonly number[];
  /** The probabilities when the market opened, in billionths (the first point of its history). */
  readonly initialProbabilities: readonly number[];
  readonly volume: number;
  readonly bettors: number;
  readonly resolution: ResolutionSummary | null;
}

/** Pure: the summary of a market at `now`. */
export function summarizeMarket(market: Market, stats: MarketStats, now: string): MarketSummary {
  const probabilities = probabilitiesOf(pricingOf(market));
  const amm = isAmm(market.mechanism);
  const total = market.options.reduce((sum, option) => sum + option.pool, 0);
  const options = market.options.map((option) => ({
    index: option.index,
    label: option.label,
    probability: probabilities[option.index]!,
    pool: amm ? null : option.pool,
    odds: amm || option.pool === 0 ? null : total / option.pool,
  }));
  const opening = probabilitiesOf({
    ...pricingOf(market),
    pools: initialPools(market.mechanism, market.subsidy, market.options.length),
    escrow: market.subsidy,
  });
  return {
    market,
    phase: marketPhase(market, now),
    options,
    probabilities,
    initialProbabilities: opening.map(toProbabilityUnits),
    volume: stats.volume,
    bettors: stats.bettors,
    resolution: resolutionOf(market),
  };
}

function resolutionOf(market: Market): ResolutionSummary | null {
  const resolution = market.resolution;
  if (market.status !== 'resolved' || !resolution) return null;
  if (resolution.kind === 'probability') {
    return { kind: 'probability', probability: fromProbabilityUnits(resolution.probability) };
  }
  return {
    kind: 'option',
    option: resolution.option,
    label: market.options[resolution.option]?.label ?? String(resolution.option),
  };
}

/**
 * What a holding in an unsettled market is worth now, rounded down: shares × probability for the AMMs; for the
 * pool, the payout if the option won as the pools stand, times its implied probability.
 */
export function valueOfPosition(market: Market, position: Position): number {
  const probability = probabilitiesOf(pricingOf(market))[position.option] ?? 0;
  if (isAmm(market.mechanism)) return Math.floor((position.shares / SHARE_UNIT) * probability);
  const stake = Math.floor(position.shares / SHARE_UNIT);
  const pools = market.options.map((option) => option.pool);
  return Math.floor(poolPayoutIfWins(pools, position.option, stake) * probability);
}
