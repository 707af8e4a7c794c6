import type pg from 'pg';
import type { PgHandle } from '../postgres/pg-database.js';
import { type LedgerCheckRows, type LedgerReport, ledgerReport } from './ledger-report.js';

/** Something that runs one SQL text: a pool client, possibly inside the caller's open transaction. */
export type PgQueryable = Pick<pg.ClientBase, 'query'>;

/**
 * The PostgreSQL reads of the ledger check (points/ledger-report.ts judges them, as for SQLite). They run in
 * one REPEATABLE READ transaction, so every check sees the same moment while other instances keep writing.
 */
export async function checkLedgerPg(handle: Pick<PgHandle, 'pool' | 'toError'>): Promise<LedgerReport> {
  let client: pg.PoolClient | undefined;
  try {
    const connection = await handle.pool.connect();
    client = connection;
    await connection.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      return await checkLedgerWith(connection);
    } finally {
      await connection.query('ROLLBACK');
    }
  } catch (error) {
    throw handle.toError('check', error);
  } finally {
    client?.release();
  }
}

/**
 * The ledger check on `connection` as it stands, including what its open transaction has written but not
 * committed: `db copy` checks the copy this way before it commits. Sums are cast back to bigint: PostgreSQL
 * sums bigints as numeric.
 */
export async function checkLedgerWith(connection: PgQueryable): Promise<LedgerReport> {
  const all = async <T>(sql: string) => (await connection.query(sql)).rows as T[];
  const rows: LedgerCheckRows = {
    guilds: await all(
      `SELECT guild_id AS guild, sum(balance)::bigint AS total FROM accounts GROUP BY guild_id ORDER BY guild_id`,
    ),
    replay: await all(
      `SELECT a.key, a.guild_id AS guild, a.balance,
         (coalesce((SELECT sum(amount) FROM transfers WHERE to_account_id = a.id), 0)
           - coalesce((SELECT sum(amount) FROM transfers WHERE from_account_id = a.id), 0))::bigint AS replayed
       FROM accounts a ORDER BY a.id`,
    ),
    settled: await all(
      `SELECT m.id, coalesce(a.balance, 0) AS escrow FROM markets m
       LEFT JOIN accounts a ON a.guild_id = m.guild_id AND a.key = 'escrow:' || m.id
       WHERE m.status <> 'open' ORDER BY m.id`,
    ),
    mismatched: await all(
      `WITH sums AS (
         SELECT market_id, user_id, option_index,
           sum(CASE side WHEN 'buy' THEN shares ELSE -shares END)::bigint AS shares,
           sum(CASE side WHEN 'buy' THEN points ELSE 0 END)::bigint AS invested,
           sum(CASE side WHEN 'sell' THEN points ELSE 0 END)::bigint AS taken_out
         FROM trades GROUP BY market_id, user_id, option_index)
       SELECT p.market_id AS market, p.user_id AS "user", p.option_index AS option FROM positions p
       LEFT JOIN sums s USING (market_id, user_id, option_index)
       WHERE s.shares IS DISTINCT FROM p.shares OR s.invested IS DISTINCT FROM p.invested
         OR s.taken_out IS DISTINCT FROM p.taken_out
       UNION ALL
       SELECT s.market_id, s.user_id, s.option_index FROM sums s
       LEFT JOIN positions p USING (market_id, user_id, option_index) WHERE p.market_id IS NULL`,
    ),
    positionCount: (await all<{ n: number }>('SELECT count(*) AS n FROM positions'))[0]?.n ?? 0,
    openOptions: await all(
      `SELECT m.id, m.mechanism, o.option_index AS option, o.pool,
         coalesce((SELECT sum(shares) FROM positions p
           WHERE p.market_id = m.id AND p.option_index = o.option_index), 0)::bigint AS held,
         coalesce((SELECT balance FROM accounts a
           WHERE a.guild_id = m.guild_id AND a.key = 'escrow:' || m.id), 0) AS escrow
       FROM markets m JOIN market_options o ON o.market_id = m.id
       WHERE m.status = 'open' ORDER BY m.id, o.option_index`,
    ),
    repeatedStartingGrants: await all(
      `SELECT a.key, a.guild_id AS guild, count(*)::int AS grants FROM transfers t
       JOIN accounts a ON a.id = t.to_account_id
       WHERE t.kind = 'starting_grant' GROUP BY a.id, a.key, a.guild_id HAVING count(*) > 1 ORDER BY a.id`,
    ),
  };
  return ledgerReport(rows);
}
