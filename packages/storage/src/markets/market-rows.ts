import type {
  AccountKey,
  Market,
  MarketListQuery,
  MarketResolution,
  Position,
  Trade,
  Transfer,
  TransferKind,
  UserAccount,
} from '@coachwire/core';

// Rows as both dialects return them (SQLite through drizzle, PostgreSQL through column aliases), and the
// pure mapping to core's types. SQL stays per dialect; this mapping exists once.

export interface MarketRow {
  readonly id: number;
  readonly guildId: string;
  readonly question: string;
  readonly description: string | null;
  readonly mechanism: Market['mechanism'];
  readonly weight: number;
  readonly subsidy: number;
  readonly subsidyPayer: Market['subsidyPayer'];
  readonly creatorId: string;
  readonly creatorName: string;
  readonly planId: number | null;
  readonly coachId: string | null;
  readonly createdAt: string;
  readonly closesAt: string;
  readonly status: Market['status'];
  readonly resolutionOption: number | null;
  readonly resolutionProbability: number | null;
  readonly settledAt: string | null;
  readonly settledBy: string | null;
  readonly settlements: number;
}

export interface OptionRow {
  readonly marketId: number;
  readonly optionIndex: number;
  readonly label: string;
  readonly pool: number;
}

export interface PositionRow {
  readonly marketId: number;
  readonly userId: string;
  readonly optionIndex: number;
  readonly shares: number;
  readonly invested: number;
  readonly takenOut: number;
  readonly payout: number;
}

export interface TradeRow {
  readonly id: number;
  readonly marketId: number;
  readonly userId: string;
  readonly optionIndex: number;
  readonly side: Trade['side'];
  readonly points: number;
  readonly shares: number;
  /** JSON arrays of billionths. */
  readonly probabilitiesBefore: string;
  readonly probabilitiesAfter: string;
  readonly createdAt: string;
}

/** A transfer of a settlement with both account keys (unresolve reverses them). */
export interface SettlementTransferRow {
  readonly id: number;
  readonly guildId: string;
  readonly fromKey: AccountKey;
  readonly toKey: AccountKey;
  readonly amount: number;
  readonly kind: TransferKind;
  readonly marketId: number | null;
  readonly settlement: number | null;
  readonly reverses: number | null;
  readonly memo: string | null;
  readonly createdAt: string;
}

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

export function toTrade(row: TradeRow): Trade {
  return {
    id: row.id,
    marketId: row.marketId,
    userId: row.userId,
    option: row.optionIndex,
    side: row.side,
    points: row.points,
    shares: row.shares,
    probabilitiesBefore: JSON.parse(row.probabilitiesBefore) as number[],
    probabilitiesAfter: JSON.parse(row.probabilitiesAfter) as number[],
    createdAt: row.createdAt,
  };
}

export function toTransfer(row: SettlementTransferRow): Transfer {
  return { ...row, from: row.fromKey, to: row.toKey };
}

export function toUserAccount(
  userId: string,
  row: { readonly balance: number; readonly lastDailyDate: string | null } | undefined,
): UserAccount | null {
  return row ? { userId, balance: row.balance, lastDailyDate: row.lastDailyDate } : null;
}

/** The phase filter as stored columns: open and closed are both stored "open", told apart by the close time. */
export function phaseFilter(phase: MarketListQuery['phase']): {
  status: string | null;
  closed: boolean | null;
} {
  if (phase === 'open') return { status: 'open', closed: false };
  if (phase === 'closed') return { status: 'open', closed: true };
  return { status: phase ?? null, closed: null };
}

/** Groups option rows (ordered by market, then index) by market id. */
export function optionsByMarket(rows: readonly OptionRow[]): Map<number, OptionRow[]> {
  const byMarket = new Map<number, OptionRow[]>();
  for (const option of rows) {
    const list = byMarket.get(option.marketId) ?? [];
    list.push(option);
    byMarket.set(option.marketId, list);
  }
  return byMarket;
}
