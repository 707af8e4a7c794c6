import type {
  GuildCirculation,
  MarketListQuery,
  MarketReadStore,
  MarketWithStats,
  PositionInMarket,
  ProbabilityPoint,
  Trade,
} from '@coachwire/core';
import type pg from 'pg';
import type { PgHandle } from '../postgres/pg-database.js';
import { type PositionRow, phaseFilter, type TradeRow, toPosition, toTrade } from './market-rows.js';
import {
  PG_POSITION_COLUMNS,
  PG_TRADE_COLUMNS,
  type PgQueryable,
  pgMarketsWithStatsWhere,
} from './pg-market-sql.js';

const NO_UPPER_BOUND = Number.MAX_SAFE_INTEGER;

/**
 * The PostgreSQL implementation of core's MarketReadStore. A market and its figures (options, escrow, volume,
 * bettors) come from one statement, so they agree with each other while other instances trade. SQLite keeps
 * the figures in a memo advanced by walking new trade ids; that is unsafe here, because trade ids are taken
 * from a sequence before commit, so a trade may become visible after a higher id was already walked past.
 * Aggregating the positions per page reads the truth instead (the positions key is (market_id, ...)).
 */
export class PgMarketReadStore implements MarketReadStore {
  readonly #handle: Pick<PgHandle, 'pool' | 'toError'>;

  constructor(handle: Pick<PgHandle, 'pool' | 'toError'>) {
    this.#handle = handle;
  }

  marketById(marketId: number): Promise<MarketWithStats | null> {
    return this.#read(
      async (db) =>
        (await pgMarketsWithStatsWhere(db, 'm.id = $1::bigint', [marketId], undefined, 'by_id'))[0] ?? null,
    );
  }

  listMarkets(query: MarketListQuery): Promise<MarketWithStats[]> {
    const { status, closed } = phaseFilter(query.phase);
    // One statement for every filter combination: a null parameter switches its filter off.
    return this.#read((db) =>
      pgMarketsWithStatsWhere(
        db,
        `($1::text IS NULL OR m.guild_id = $1) AND ($2::text IS NULL OR m.status = $2)
         AND ($3::boolean IS NULL OR (m.closes_at <= $4) = $3) AND ($5::bigint IS NULL OR m.plan_id = $5::bigint)
         AND m.id < $6::bigint`,
        [
          query.guildId ?? null,
          status,
          closed,
          query.now,
          query.planId ?? null,
          query.beforeId ?? NO_UPPER_BOUND,
          query.limit,
        ],
        'ORDER BY m.id DESC LIMIT $7',
      ),
    );
  }

  tradesOf(marketId: number, query: { beforeId?: number | undefined; limit: number }): Promise<Trade[]> {
    return this.#read(async (db) => {
      const { rows } = await db.query<TradeRow>(
        `SELECT ${PG_TRADE_COLUMNS} FROM trades t WHERE t.market_id = $1::bigint AND t.id < $2::bigint
         ORDER BY t.id DESC LIMIT $3`,
        [marketId, query.beforeId ?? NO_UPPER_BOUND, query.limit],
      );
      return rows.map(toTrade);
    });
  }

  historyOf(marketId: number, maxPoints: number): Promise<ProbabilityPoint[]> {
    // Every step-th trade and the last one (step = ⌈total / (maxPoints − 1)⌉): a chart needs the shape. One
    // point asked keeps the last one alone.
    return this.#read(async (db) => {
      const { rows } = await db.query<{ at: string; probabilities: string }>(
        `SELECT at, probabilities FROM (
           SELECT created_at AS at, probabilities_after AS probabilities,
             row_number() OVER (ORDER BY id) AS rn, count(*) OVER () AS total
           FROM trades WHERE market_id = $1::bigint) s
         WHERE ($2::int > 1 AND (rn - 1) % greatest(1, ceil(total::numeric / greatest(1, $2::int - 1)))::bigint = 0)
           OR rn = total
         ORDER BY rn`,
        [marketId, maxPoints],
      );
      return rows.map((row) => ({ at: row.at, probabilities: JSON.parse(row.probabilities) as number[] }));
    });
  }

  openPositionsOf(guildId: string, userId: string): Promise<PositionInMarket[]> {
    return this.#inSnapshot(async (db) => {
      const { rows } = await db.query<PositionRow>(
        `SELECT ${PG_POSITION_COLUMNS} FROM positions p JOIN markets m ON m.id = p.market_id
         WHERE m.guild_id = $1 AND m.status = 'open' AND p.user_id = $2 AND p.shares > 0
         ORDER BY p.market_id, p.option_index`,
        [guildId, userId],
      );
      if (rows.length === 0) return [];
      const ids = [...new Set(rows.map((row) => row.marketId))];
      const markets = await pgMarketsWithStatsWhere(db, 'm.id = ANY($1::bigint[])', [ids]);
      const byId = new Map(markets.map((entry) => [entry.market.id, entry.market]));
      return rows.map((row) => ({ position: toPosition(row), market: byId.get(row.marketId)! }));
    });
  }

  marketsOfPlans(planIds: readonly number[]): Promise<MarketWithStats[]> {
    if (planIds.length === 0) return Promise.resolve([]);
    return this.#read((db) => pgMarketsWithStatsWhere(db, 'm.plan_id = ANY($1::bigint[])', [planIds]));
  }

  countOpenMarkets(now: string): Promise<number> {
    return this.#read(async (db) => {
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM markets WHERE status = 'open' AND closes_at > $1`,
        [now],
      );
      return rows[0]?.n ?? 0;
    });
  }

  circulation(): Promise<GuildCirculation[]> {
    return this.#read(async (db) => {
      const { rows } = await db.query<GuildCirculation>(
        `SELECT guild_id AS "guildId", -balance AS points FROM accounts WHERE kind = 'house'
         ORDER BY guild_id COLLATE "C"`,
      );
      return rows;
    });
  }

  async #read<T>(work: (db: PgQueryable) => Promise<T>): Promise<T> {
    try {
      return await work(this.#handle.pool);
    } catch (error) {
      throw this.#handle.toError('read', error);
    }
  }

  /** Several statements that must see one moment: a read-only REPEATABLE READ transaction. */
  async #inSnapshot<T>(work: (db: PgQueryable) => Promise<T>): Promise<T> {
    let client: pg.PoolClient | undefined;
    try {
      const connection = await this.#handle.pool.connect();
      client = connection;
      await connection.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      try {
        return await work(connection);
      } finally {
        await connection.query('ROLLBACK');
      }
    } catch (error) {
      throw this.#handle.toError('read', error);
    } finally {
      client?.release();
    }
  }
}
