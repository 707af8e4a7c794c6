import {
  escrowAccount,
  type GuildCirculation,
  type MarketListQuery,
  type MarketReadStore,
  type MarketWithStats,
  type PositionInMarket,
  type ProbabilityPoint,
  type Trade,
} from '@coachwire/core';
import type { CoachwireDatabase } from '../database.js';
import { toCoachwireError } from '../storage-errors.js';
import { type MarketReadStatements, prepareMarketReadStatements } from './market-read-statements.js';
import {
  type MarketRow,
  optionsByMarket,
  phaseFilter,
  toMarket,
  toPosition,
  toTrade,
} from './market-rows.js';
import { MarketStatsMemo } from './market-stats-memo.js';

const NO_UPPER_BOUND = Number.MAX_SAFE_INTEGER;

/** SQLite binds no booleans: the closed filter is 0 or 1. */
function sqlitePhaseFilter(phase: MarketListQuery['phase']): { status: string | null; closed: 0 | 1 | null } {
  const { status, closed } = phaseFilter(phase);
  return { status, closed: closed === null ? null : closed ? 1 : 0 };
}

/** The SQLite implementation of core's MarketReadStore: a page costs four queries, whatever its size. */
export class SqliteMarketReadStore implements MarketReadStore {
  readonly #handle: CoachwireDatabase;
  #statements: MarketReadStatements | undefined;
  readonly #stats = new MarketStatsMemo();
  /** One deferred-transaction wrapper for every read: better-sqlite3 builds four closures per `transaction()`. */
  #inTransaction: ((work: () => unknown) => unknown) | undefined;

  constructor(handle: CoachwireDatabase) {
    this.#handle = handle;
  }

  marketById(marketId: number): Promise<MarketWithStats | null> {
    return this.#read(() => {
      const row = this.#stmts.marketById.get({ id: marketId });
      return row ? (this.#withDetails([row])[0] ?? null) : null;
    });
  }

  listMarkets(query: MarketListQuery): Promise<MarketWithStats[]> {
    return this.#read(() => {
      const rows = this.#stmts.marketPage.all({
        guildId: query.guildId ?? null,
        ...sqlitePhaseFilter(query.phase),
        now: query.now,
        planId: query.planId ?? null,
        beforeId: query.beforeId ?? NO_UPPER_BOUND,
        limit: query.limit,
      });
      return this.#withDetails(rows);
    });
  }

  tradesOf(marketId: number, query: { beforeId?: number | undefined; limit: number }): Promise<Trade[]> {
    return this.#read(() =>
      this.#stmts.tradesOfMarket
        .all({ marketId, beforeId: query.beforeId ?? NO_UPPER_BOUND, limit: query.limit })
        .map(toTrade),
    );
  }

  historyOf(marketId: number, maxPoints: number): Promise<ProbabilityPoint[]> {
    return this.#read(() => {
      const total = this.#stmts.tradeCount.get({ marketId })?.n ?? 0;
      if (total === 0) return [];
      const step = maxPoints <= 1 ? 0 : Math.max(1, Math.ceil(total / (maxPoints - 1)));
      return this.#stmts.sampledHistory
        .all({ marketId, step, total })
        .map((row) => ({ at: row.at, probabilities: JSON.parse(row.probabilities) as number[] }));
    });
  }

  openPositionsOf(guildId: string, userId: string): Promise<PositionInMarket[]> {
    return this.#read(() => {
      const rows = this.#stmts.openPositionsOfUser.all({ guildId, userId });
      const unique = [...new Map(rows.map((row) => [row.markets.id, row.markets])).values()];
      const byId = new Map(this.#withDetails(unique).map((entry) => [entry.market.id, entry.market]));
      return rows.map((row) => ({ position: toPosition(row.positions), market: byId.get(row.markets.id)! }));
    });
  }

  marketsOfPlans(planIds: readonly number[]): Promise<MarketWithStats[]> {
    return this.#read(() =>
      planIds.length === 0
        ? []
        : this.#withDetails(this.#stmts.marketsOfPlans.all({ ids: JSON.stringify(planIds) })),
    );
  }

  countOpenMarkets(now: string): Promise<number> {
    return this.#read(() => this.#stmts.countOpenMarkets.get({ now })?.n ?? 0);
  }

  circulation(): Promise<GuildCirculation[]> {
    return this.#read(() => this.#stmts.circulation.all());
  }

  /** Options, escrow balances and stats of a batch of markets: three queries for the whole batch. */
  #withDetails(rows: readonly MarketRow[]): MarketWithStats[] {
    if (rows.length === 0) return [];
    const ids = JSON.stringify(rows.map((row) => row.id));
    const optionsOf = optionsByMarket(this.#stmts.optionsOfMarkets.all({ ids }));
    const escrowOf = (row: MarketRow) =>
      this.#stmts.escrowBalance.get({ guildId: row.guildId, key: escrowAccount(row.id) })?.balance ?? 0;
    const statsOf = this.#stats.statsOf(
      this.#stmts,
      rows.map((row) => row.id),
    );
    return rows.map((row) => {
      const stats = statsOf.get(row.id);
      return {
        market: toMarket(row, optionsOf.get(row.id) ?? [], escrowOf(row)),
        stats: { volume: stats?.volume ?? 0, bettors: stats?.bettors ?? 0 },
      };
    });
  }

  // Prepared on first use so that a missing or unmigrated database surfaces as a mapped error from a call.
  get #stmts(): MarketReadStatements {
    this.#statements ??= prepareMarketReadStatements(this.#handle);
    return this.#statements;
  }

  // Each read is one (deferred) transaction: its queries see one snapshot, even while other processes write.
  #read<T>(work: () => T): Promise<T> {
    try {
      this.#inTransaction ??= this.#handle.sqlite.transaction((run: () => unknown) => run());
      return Promise.resolve(this.#inTransaction(work) as T);
    } catch (error) {
      return Promise.reject(toCoachwireError(this.#handle.path, 'read', error));
    }
  }
}
