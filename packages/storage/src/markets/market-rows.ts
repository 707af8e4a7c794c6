import type { Market, MarketResolution, Position } from '@coachwire/core';
import type { marketOptions, markets, positions } from './market-schema.js';

export type MarketRow = typeof markets.$inferSelect;
export type OptionRow = typeof marketOptions.$inferSelect;
export type PositionRow = typeof positions.$inferSelect;

function resolutionOf(row: MarketRow): MarketResolution | null {
  if (row.status !== 'resolved') return null;
  if (row.resolutionOption !== null) return { kind: 'option', option: row.resolutionOption };
  if (row.resolutionProbability !== null)
    return { kind: 'probability', probability: row.resolutionProbability };
  return null;
}

/** A market row, its option rows (in index order) and its escrow balance as core's Market. */
export function toMarket(row: MarketRow, options: readonly OptionRow[], escrow: number): Market {
  return {
    id: row.id,
    guildId: row.guildId,
    question: row.question,
    description: row.description,
    mechanism: row.mechanism,
    options: options.map((option) => ({ index: option.optionIndex, label: option.label, pool: option.pool })),
    weight: row.weight,
    subsidy: row.subsidy,
    subsidyPayer: row.subsidyPayer,
    creatorId: row.creatorId,
    creatorName: row.creatorName,
    planId: row.planId,
    coachId: row.coachId,
    createdAt: row.createdAt,
    closesAt: row.closesAt,
    status: row.status,
    resolution: resolutionOf(row),
    settledAt: row.settledAt,
    settledBy: row.settledBy,
    settlements: row.settlements,
    escrow,
  };
}

export function toPosition(row: PositionRow): Position {
  return {
    marketId: row.marketId,
    userId: row.userId,
    option: row.optionIndex,
    shares: row.shares,
    invested: row.invested,
    takenOut: row.takenOut,
    payout: row.payout,
  };
}
