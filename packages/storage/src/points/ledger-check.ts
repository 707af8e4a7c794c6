import type { CoachwireDatabase } from '../database.js';
import { toCoachwireError } from '../storage-errors.js';
import { type LedgerCheckRows, type LedgerReport, ledgerReport } from './ledger-report.js';

export type { LedgerReport } from './ledger-report.js';

/** The SQLite reads of the ledger check (points/ledger-report.ts judges them). */
export function checkLedger(handle: CoachwireDatabase): LedgerReport {
  try {
    const all = <T>(sql: string) => handle.sqlite.prepare(sql).all() as T[];
    const rows: LedgerCheckRows = {
      guilds: all(`SELECT guild_id AS guild, sum(balance) AS total FROM accounts GROUP BY guild_id`),
      replay: all(
        `SELECT a.key, a.guild_id AS guild, a.balance,
           coalesce((SELECT sum(amount) FROM transfers WHERE to_account_id = a.id), 0)
             - coalesce((SELECT sum(amount) FROM transfers WHERE from_account_id = a.id), 0) AS replayed
         FROM accounts a`,
      ),
      settled: all(
        `SELECT m.id, coalesce(a.balance, 0) AS escrow FROM markets m
         LEFT JOIN accounts a ON a.guild_id = m.guild_id AND a.key = 'escrow:' || m.id
         WHERE m.status <> 'open'`,
      ),
      mismatched: all(
        `WITH sums AS (
           SELECT market_id, user_id, option_index,
             sum(CASE side WHEN 'buy' THEN shares ELSE -shares END) AS shares,
             sum(CASE side WHEN 'buy' THEN points ELSE 0 END) AS invested,
             sum(CASE side WHEN 'sell' THEN points ELSE 0 END) AS taken_out
           FROM trades GROUP BY market_id, user_id, option_index)
         SELECT p.market_id AS market, p.user_id AS user, p.option_index AS option FROM positions p
         LEFT JOIN sums s USING (market_id, user_id, option_index)
         WHERE s.shares IS NOT p.shares OR s.invested IS NOT p.invested OR s.taken_out IS NOT p.taken_out
         UNION ALL
         SELECT s.market_id, s.user_id, s.option_index FROM sums s
         LEFT JOIN positions p USING (market_id, user_id, option_index) WHERE p.market_id IS NULL`,
      ),
      positionCount: all<{ n: number }>('SELECT count(*) AS n FROM positions')[0]?.n ?? 0,
      openOptions: all(
        `SELECT m.id, m.mechanism, o.option_index AS option, o.pool,
           coalesce((SELECT sum(shares) FROM positions p WHERE p.market_id = m.id AND p.option_index = o.option_index), 0) AS held,
           coalesce((SELECT balance FROM accounts a WHERE a.guild_id = m.guild_id AND a.key = 'escrow:' || m.id), 0) AS escrow
         FROM markets m JOIN market_options o ON o.market_id = m.id WHERE m.status = 'open' ORDER BY m.id, o.option_index`,
      ),
      repeatedStartingGrants: all(
        `SELECT a.key, a.guild_id AS guild, count(*) AS grants FROM transfers t
         JOIN accounts a ON a.id = t.to_account_id
         WHERE t.kind = 'starting_grant' GROUP BY a.id HAVING count(*) > 1 ORDER BY a.id`,
      ),
    };
    return ledgerReport(rows);
  } catch (error) {
    throw toCoachwireError(handle.path, 'check', error);
  }
}
