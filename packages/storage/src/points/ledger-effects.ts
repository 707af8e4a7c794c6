import type { LedgerSnapshot, Market } from '@coachwire/core';

// What both dialects' unit of work decide from an operation's effects before writing them: pure, so the
// SQLite and PostgreSQL stores write the same rows for the same decision.

/** Core's contract: a market whose id is the snapshot's next id, with no market loaded, is a new one. */
export function isNewMarket(market: Market, snapshot: LedgerSnapshot): boolean {
  return market.id === snapshot.nextMarketId && !snapshot.market;
}

/** A trade changes only pools; the market row is written when its lifecycle changes. */
export function marketLifecycleChanged(previous: Market | null, market: Market): boolean {
  return (
    !previous ||
    previous.status !== market.status ||
    previous.closesAt !== market.closesAt ||
    previous.settlements !== market.settlements ||
    previous.settledAt !== market.settledAt
  );
}

/** The options whose pool differs from the loaded market's (all of them for a new market). */
export function changedOptionPools(previous: Market | null, market: Market): Market['options'] {
  const before = previous?.options;
  return market.options.filter((option) => !before || before[option.index]?.pool !== option.pool);
}

/** The stored resolution columns of a market. */
export function resolutionColumns(market: Market): {
  resolutionOption: number | null;
  resolutionProbability: number | null;
} {
  const resolution = market.resolution;
  return {
    resolutionOption: resolution?.kind === 'option' ? resolution.option : null,
    resolutionProbability: resolution?.kind === 'probability' ? resolution.probability : null,
  };
}

/** An event type's domain: "market.traded" → "market". */
export function eventDomain(type: string): string {
  return type.slice(0, type.indexOf('.'));
}
