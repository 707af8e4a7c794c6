import {
  ConflictError,
  type LedgerOperation,
  type LedgerStore,
  type Market,
  type Position,
  replayStoredResult,
  StorageUnavailableError,
  type UserAccount,
  type UserFlows,
  userAccount,
} from '@coachwire/core';
import type pg from 'pg';
import { type PositionRow, toPosition, toUserAccount } from '../markets/market-rows.js';
import { PG_POSITION_COLUMNS, pgMarketsWhere } from '../markets/pg-market-sql.js';
import type { PgHandle } from '../postgres/pg-database.js';
import { PG_UNIQUE_VIOLATION, pgErrorCode } from '../postgres/pg-errors.js';
import { named, PgLedgerUnit } from './pg-ledger-unit.js';

/** What the store needs of a PgHandle: its pool, where it is (safe to print) and its error mapping. */
export type PgLedgerTarget = Pick<PgHandle, 'pool' | 'location' | 'toError'>;

// Transfer kinds between a user and a market's escrow (trading) and from the house (minting).
const TRADING_KINDS = `'bet', 'sell', 'payout', 'refund', 'lp_return', 'subsidy', 'reversal'`;

/** Deadlock and serialization failures abort a whole transaction, which is then safe to run again. */
const RETRYABLE = new Set(['40P01', '40001', PG_UNIQUE_VIOLATION]);
const MAX_ATTEMPTS = 5;

/** Thrown inside a transaction to run the operation again from the start (e.g. a replayed key was pruned). */
class RunAgain extends Error {}

/**
 * The PostgreSQL implementation of core's LedgerStore: the same results, errors and idempotency replays as
 * SqliteLedgerStore, with several processes writing at once. Each operation is ONE transaction on one pooled
 * client (BEGIN … COMMIT, ROLLBACK on any error, the client always released).
 *
 * Why row locks under READ COMMITTED, not SERIALIZABLE: a decision reads a handful of rows (one market, its
 * positions, a few accounts) that are known before deciding, so locking exactly those rows in one fixed order
 * makes every operation see the latest committed state and keeps writers of different markets and users
 * fully parallel. SERIALIZABLE would give the same safety by aborting one of two conflicting transactions,
 * but every bet on a busy market conflicts with the others (same pool row, same escrow), so under load most
 * would abort and retry, and each retry runs the whole read-decide-write again. Waiting on a row lock is
 * cheaper than redoing the work. The lock order (see PgLedgerUnit): the idempotency row, the market, the
 * accounts read (by key), the accounts only written (by key). A deadlock (which a fixed order makes
 * unreachable, barring a decision that writes an account it did not read) is retried like a serialization
 * failure, and never reaches the caller as a driver error.
 */
export class PgLedgerStore implements LedgerStore {
  readonly #target: PgLedgerTarget;

  constructor(target: PgLedgerTarget) {
    this.#target = target;
  }

  async execute<R>(operation: LedgerOperation<R>): Promise<R> {
    let client: pg.PoolClient;
    try {
      client = await this.#target.pool.connect();
    } catch (error) {
      throw this.#mapped('write', error);
    }
    let broken: Error | undefined;
    try {
      for (let attempt = 1; ; attempt += 1) {
        try {
          await client.query('BEGIN');
          const result = await this.#inTransaction(client, operation);
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch((rollbackError: Error) => {
            broken = rollbackError;
          });
          if (broken) throw this.#mapped('write', error);
          const retry = error instanceof RunAgain || RETRYABLE.has(pgErrorCode(error) ?? '');
          if (retry && attempt < MAX_ATTEMPTS) continue;
          throw this.#exhausted(error, retry);
        }
      }
    } finally {
      // A client whose ROLLBACK failed is in an unknown state: the pool destroys it instead of reusing it.
      client.release(broken);
    }
  }

  async #inTransaction<R>(client: pg.PoolClient, operation: LedgerOperation<R>): Promise<R> {
    const { guildId, idempotency } = operation;
    if (idempotency) {
      // The key's row first: a second request with the same key waits here until the first commits or rolls
      // back, then replays its result (or, after a rollback, runs as the first).
      const claimed = await client.query(
        named(
          'claim_key',
          `INSERT INTO idempotency_keys (guild_id, key, fingerprint, result, created_at)
           VALUES ($1, $2, $3, '', $4) ON CONFLICT (guild_id, key) DO NOTHING`,
          [guildId, idempotency.key, idempotency.fingerprint, operation.now],
        ),
      );
      if (claimed.rowCount === 0) {
        const { rows } = await client.query<{ fingerprint: string; resultJson: string }>(
          `SELECT fingerprint, result AS "resultJson" FROM idempotency_keys WHERE guild_id = $1 AND key = $2`,
          [guildId, idempotency.key],
        );
        // Pruned between the two statements: the key is free again.
        if (!rows[0]) throw new RunAgain();
        const result = replayStoredResult<R>(rows[0], idempotency.fingerprint);
        operation.onReplay?.();
        return result;
      }
    }
    const unit = new PgLedgerUnit(client, operation);
    // Writes the key's result with the decision's other effects (in the same statement).
    const decision = await unit.run();
    await unit.appendEvents(decision.effects);
    return decision.result;
  }

  getMarket(guildId: string, marketId: number): Promise<Market | null> {
    return this.#read(async (pool) => {
      const [market] = await pgMarketsWhere(pool, 'm.id = $1 AND m.guild_id = $2', [marketId, guildId]);
      return market ?? null;
    });
  }

  listMarkets(guildId: string, query: { status?: 'open' | 'settled'; limit: number }): Promise<Market[]> {
    const filter =
      query.status === 'open'
        ? `AND m.status = 'open'`
        : query.status === 'settled'
          ? `AND m.status <> 'open'`
          : '';
    return this.#read((pool) =>
      pgMarketsWhere(
        pool,
        `m.guild_id = $1 ${filter}`,
        [guildId, query.limit],
        'ORDER BY m.id DESC LIMIT $2',
      ),
    );
  }

  staleMarketIds(closedBefore: string, limit: number): Promise<{ guildId: string; marketId: number }[]> {
    return this.#read(async (pool) => {
      const { rows } = await pool.query<{ guildId: string; marketId: number }>(
        `SELECT guild_id AS "guildId", id AS "marketId" FROM markets
         WHERE status = 'open' AND closes_at <= $1 ORDER BY closes_at, id LIMIT $2`,
        [closedBefore, limit],
      );
      return rows;
    });
  }

  positionsOf(marketId: number, userId: string): Promise<Position[]> {
    return this.#read(async (pool) => {
      const { rows } = await pool.query<PositionRow>(
        `SELECT ${PG_POSITION_COLUMNS} FROM positions p WHERE p.market_id = $1 AND p.user_id = $2
         ORDER BY p.option_index`,
        [marketId, userId],
      );
      return rows.map(toPosition);
    });
  }

  userAccount(guildId: string, userId: string): Promise<UserAccount | null> {
    return this.#read(async (pool) => {
      const { rows } = await pool.query<{ balance: number; lastDailyDate: string | null }>(
        `SELECT balance, last_daily_date AS "lastDailyDate" FROM accounts WHERE guild_id = $1 AND key = $2`,
        [guildId, userAccount(userId)],
      );
      return toUserAccount(userId, rows[0]);
    });
  }

  userFlows(guildId: string, period?: { from: string; to: string }): Promise<UserFlows[]> {
    const window = period ? 'AND t.created_at >= $2 AND t.created_at < $3' : '';
    // Points in from escrows minus points out to escrows (trading), and points from/to the house (minting).
    const net = `coalesce(sum(CASE WHEN t.to_account_id = a.id THEN t.amount ELSE -t.amount END), 0)::bigint`;
    const touches = '(t.to_account_id = a.id OR t.from_account_id = a.id)';
    return this.#read(async (pool) => {
      const { rows } = await pool.query<UserFlows>(
        `SELECT a.user_id AS "userId", a.balance,
           (SELECT ${net} FROM transfers t WHERE ${touches}
              AND t.kind IN (${TRADING_KINDS}) AND t.market_id IS NOT NULL ${window}) AS "tradingNet",
           (SELECT ${net} FROM transfers t WHERE ${touches} AND t.market_id IS NULL ${window}) AS minted
         FROM accounts a WHERE a.guild_id = $1 AND a.kind = 'user' ORDER BY a.id`,
        period ? [guildId, period.from, period.to] : [guildId],
      );
      return rows;
    });
  }

  coachCallMarkets(guildId: string, coachId: string): Promise<Market[]> {
    return this.#read((pool) =>
      pgMarketsWhere(pool, 'm.guild_id = $1 AND m.coach_id = $2', [guildId, coachId]),
    );
  }

  pruneIdempotencyKeys(before: string): Promise<number> {
    return this.#read(
      async (pool) =>
        (await pool.query('DELETE FROM idempotency_keys WHERE created_at < $1', [before])).rowCount ?? 0,
      'write',
    );
  }

  async #read<T>(work: (pool: pg.Pool) => Promise<T>, action = 'read'): Promise<T> {
    try {
      return await work(this.#target.pool);
    } catch (error) {
      throw this.#mapped(action, error);
    }
  }

  #mapped(action: string, error: unknown) {
    return this.#target.toError(action, error);
  }

  /** The error of an operation that failed for good: a race retried too often is a typed error, not a 500. */
  #exhausted(error: unknown, retried: boolean) {
    if (!retried) return this.#mapped('write', error);
    if (pgErrorCode(error) === PG_UNIQUE_VIOLATION || error instanceof RunAgain) {
      return new ConflictError('Another request changed the same data at the same moment; try again.');
    }
    return new StorageUnavailableError(
      `The database at ${this.#target.location} is too busy to complete the operation; try again.`,
    );
  }
}
