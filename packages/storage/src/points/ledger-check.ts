import { SHARE_UNIT } from '@coachwire/core';
import type { CoachwireDatabase } from '../database.js';
import { toCoachwireError } from '../storage-errors.js';

/** What `coachwire db check` verified of the ledger, and every violation found. */
export interface LedgerReport {
  readonly ok: boolean;
  /** One line per check, saying what was checked and how many rows. */
  readonly checked: string[];
  readonly violations: string[];
}

type Row = Record<string, number | string | null>;

/**
 * Verifies the ledger's invariants from the raw tables: each guild's balances sum to 0; every stored
 * balance equals the replay of its transfers; no balance but the house's is negative; a settled market's
 * escrow is 0; positions agree with trades; and each open market's pools are backed by its escrow.
 */
export function checkLedger(handle: CoachwireDatabase): LedgerReport {
  try {
    const all = (sql: string) => handle.sqlite.prepare(sql).all() as Row[];
    const checked: string[] = [];
    const violations: string[] = [];

    const guilds = all(
      `SELECT guild_id AS guild, sum(balance) AS total, count(*) AS n FROM accounts GROUP BY guild_id`,
    );
    for (const row of guilds) {
      if (row.total !== 0) violations.push(`guild ${row.guild}: balances sum to ${row.total}, not 0`);
    }
    checked.push(`balances sum to 0 in each of ${guilds.length} guild(s)`);

    const replay = all(
      `SELECT a.id, a.key, a.guild_id AS guild, a.balance,
         coalesce((SELECT sum(amount) FROM transfers WHERE to_account_id = a.id), 0)
           - coalesce((SELECT sum(amount) FROM transfers WHERE from_account_id = a.id), 0) AS replayed
       FROM accounts a`,
    );
    for (const row of replay) {
      if (row.balance !== row.replayed) {
        violations.push(
          `account ${row.key} (guild ${row.guild}): stored ${row.balance}, transfers replay to ${row.replayed}`,
        );
      }
      if (row.key !== 'house' && (row.balance as number) < 0) {
        violations.push(`account ${row.key} (guild ${row.guild}) is negative: ${row.balance}`);
      }
    }
    checked.push(
      `${replay.length} stored balance(s) equal the replay of their transfers; none but the house's is negative`,
    );

    const settled = all(
      `SELECT m.id, coalesce(a.balance, 0) AS escrow FROM markets m
       LEFT JOIN accounts a ON a.guild_id = m.guild_id AND a.key = 'escrow:' || m.id
       WHERE m.status <> 'open'`,
    );
    for (const row of settled) {
      if (row.escrow !== 0) violations.push(`market ${row.id} is settled but its escrow holds ${row.escrow}`);
    }
    checked.push(`${settled.length} settled market(s) have an empty escrow`);

    const mismatched = all(
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
    );
    for (const row of mismatched) {
      violations.push(
        `market ${row.market}: position of ${row.user} on option ${row.option} disagrees with its trades`,
      );
    }
    const positionCount = (all('SELECT count(*) AS n FROM positions')[0]?.n as number) ?? 0;
    checked.push(`${positionCount} position(s) agree with their trades`);

    const open = checkOpenMarkets(all);
    violations.push(...open.violations);
    checked.push(`${open.count} open market(s) are backed by their escrow`);
    return { ok: violations.length === 0, checked, violations };
  } catch (error) {
    throw toCoachwireError(handle.path, 'check', error);
  }
}

/** cpmm: YES shares and NO shares (pool + traders) each equal escrow × unit. lmsr: escrow covers the largest q. pool: escrow = Σ stakes. */
function checkOpenMarkets(all: (sql: string) => Row[]): { count: number; violations: string[] } {
  const rows = all(
    `SELECT m.id, m.mechanism, o.option_index AS option, o.pool,
       coalesce((SELECT sum(shares) FROM positions p WHERE p.market_id = m.id AND p.option_index = o.option_index), 0) AS held,
       coalesce((SELECT balance FROM accounts a WHERE a.guild_id = m.guild_id AND a.key = 'escrow:' || m.id), 0) AS escrow
     FROM markets m JOIN market_options o ON o.market_id = m.id WHERE m.status = 'open' ORDER BY m.id, o.option_index`,
  );
  const byMarket = new Map<number, Row[]>();
  for (const row of rows) byMarket.set(row.id as number, [...(byMarket.get(row.id as number) ?? []), row]);
  const violations: string[] = [];
  for (const [id, options] of byMarket) {
    const escrow = options[0]!.escrow as number;
    const mechanism = options[0]!.mechanism;
    if (mechanism === 'cpmm') {
      for (const option of options) {
        const total = (option.pool as number) + (option.held as number);
        if (total !== escrow * SHARE_UNIT)
          violations.push(
            `market ${id}: option ${option.option} has ${total} micro-shares for an escrow of ${escrow}`,
          );
      }
    } else if (mechanism === 'lmsr') {
      for (const option of options) {
        if (option.pool !== option.held)
          violations.push(
            `market ${id}: option ${option.option} q=${option.pool} but traders hold ${option.held}`,
          );
        if ((option.pool as number) > escrow * SHARE_UNIT)
          violations.push(`market ${id}: escrow ${escrow} cannot cover option ${option.option}`);
      }
    } else {
      const stakes = options.reduce((sum, option) => sum + (option.pool as number), 0);
      if (stakes !== escrow)
        violations.push(`market ${id}: pools sum to ${stakes} but the escrow holds ${escrow}`);
      for (const option of options) {
        if ((option.held as number) !== (option.pool as number) * SHARE_UNIT)
          violations.push(`market ${id}: option ${option.option} pool disagrees with stakes`);
      }
    }
  }
  return { count: byMarket.size, violations };
}
