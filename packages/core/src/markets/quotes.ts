import { PriceMovedError } from '../shared/errors.js';
import { SHARE_UNIT, toProbabilityUnits } from '../shared/fixed-point.js';
import { pointCount } from '../shared/point-count.js';
import type { Market, MarketOption } from './market-types.js';
import { payoutIfWins, priceBuy, priceSell, probabilitiesOf } from './mechanisms/mechanism.js';
import type { PricingState } from './mechanisms/pricing-state.js';

/** The mechanism's view of a market. */
export function pricingOf(market: Market): PricingState {
  return {
    mechanism: market.mechanism,
    pools: market.options.map((option) => option.pool),
    weight: market.weight,
    subsidy: market.subsidy,
    escrow: market.escrow,
  };
}

/** The market with pools and escrow after a trade. */
export function withPricing(market: Market, pools: readonly number[], escrow: number): Market {
  const options: MarketOption[] = market.options.map((option) => ({ ...option, pool: pools[option.index]! }));
  return { ...market, options, escrow };
}

/** A buy as it would execute now. A buy with the same inputs on the same state executes exactly this. */
export interface BuyQuote {
  readonly marketId: number;
  readonly option: number;
  readonly points: number;
  /** Micro-shares the trader receives. */
  readonly shares: number;
  /** Points per share. */
  readonly averagePrice: number;
  readonly probabilitiesBefore: readonly number[];
  readonly probabilitiesAfter: readonly number[];
  /** Points these shares would pay if the option won (the pool: as things stand now). */
  readonly payoutIfWins: number;
}

export interface SellQuote {
  readonly marketId: number;
  readonly option: number;
  readonly shares: number;
  readonly points: number;
  readonly probabilitiesBefore: readonly number[];
  readonly probabilitiesAfter: readonly number[];
}

/** Pure: what `points` on `option` buy now, and the market after. Validation is the caller's. */
export function quoteBuy(market: Market, option: number, points: number): { quote: BuyQuote; after: Market } {
  const before = pricingOf(market);
  const priced = priceBuy(before, option, points);
  const afterState: PricingState = { ...before, pools: priced.pools, escrow: priced.escrow };
  return {
    quote: {
      marketId: market.id,
      option,
      points,
      shares: priced.shares,
      averagePrice: priced.shares === 0 ? 0 : points / (priced.shares / SHARE_UNIT),
      probabilitiesBefore: probabilitiesOf(before),
      probabilitiesAfter: probabilitiesOf(afterState),
      payoutIfWins: payoutIfWins(afterState, option, points, priced.shares),
    },
    after: withPricing(market, priced.pools, priced.escrow),
  };
}

/** Pure: what selling `shares` micro-shares of `option` returns now. */
export function quoteSell(
  market: Market,
  option: number,
  shares: number,
): { quote: SellQuote; after: Market } {
  const before = pricingOf(market);
  const priced = priceSell(before, option, shares);
  const afterState: PricingState = { ...before, pools: priced.pools, escrow: priced.escrow };
  return {
    quote: {
      marketId: market.id,
      option,
      shares,
      points: priced.points,
      probabilitiesBefore: probabilitiesOf(before),
      probabilitiesAfter: probabilitiesOf(afterState),
    },
    after: withPricing(market, priced.pools, priced.escrow),
  };
}

/** PRICE_MOVED when the caller's minimum is no longer met. */
export function assertMinimumMet(
  received: number,
  minimum: number | undefined,
  what: 'shares' | 'points',
): void {
  if (minimum === undefined || received >= minimum) return;
  const shown = what === 'shares' ? `${(received / SHARE_UNIT).toFixed(2)} shares` : pointCount(received);
  throw new PriceMovedError(
    `The price moved: this would now give ${shown}, below your minimum. Nothing was traded.`,
    {
      minShares: minimum,
      shares: received,
    },
  );
}

/** Probabilities as integer billionths for trade rows. */
export function probabilityUnits(probabilities: readonly number[]): number[] {
  return probabilities.map(toProbabilityUnits);
}
