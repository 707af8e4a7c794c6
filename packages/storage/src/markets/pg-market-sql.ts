import type { Market, MarketStats } from '@coachwire/core';
import type pg from 'pg';
import { type MarketRow, type OptionRow, toMarket } from './market-rows.js';

// Column lists that give PostgreSQL rows the shapes of markets/market-rows.ts (quoted camelCase aliases), and
// the one market query the ledger store and the market read store share.

/** A pg Pool (a statement on any free connection) or a client (a statement inside its transaction). */
export type PgQueryable = Pick<pg.ClientBase, 'query'>;

export const PG_MARKET_COLUMNS = `m.id, m.guild_id AS "guildId", m.question, m.description, m.mechanism, m.weight,
  m.subsidy, m.subsidy_payer AS "subsidyPayer", m.creator_id AS "creatorId", m.creator_name AS "creatorName",
  m.plan_id AS "planId", m.coach_id AS "coachId", m.created_at AS "createdAt", m.closes_at AS "closesAt",
  m.status, m.resolution_option AS "resolutionOption", m.resolution_probability AS "resolutionProbability",
  m.settled_at AS "settledAt", m.settled_by AS "settledBy", m.settlements`;

export const PG_POSITION_COLUMNS = `p.market_id AS "marketId", p.user_id AS "userId", p.option_index AS "optionIndex",
  p.shares, p.invested, p.taken_out AS "takenOut", p.payout`;

export const PG_TRADE_COLUMNS = `t.id, t.market_id AS "marketId", t.user_id AS "userId", t.option_index AS "optionIndex",
  t.side, t.points, t.shares, t.probabilities_before AS "probabilitiesBefore",
  t.probabilities_after AS "probabilitiesAfter", t.created_at AS "createdAt"`;

export const ESCROW_OF_MARKET = `coalesce((SELECT a.balance FROM accounts a
  WHERE a.guild_id = m.guild_id AND a.key = 'escrow:' || m.id), 0) AS escrow`;

export const OPTIONS_OF_MARKET = `(SELECT json_agg(json_build_object('marketId', o.market_id, 'optionIndex', o.option_index,
    'label', o.label, 'pool', o.pool) ORDER BY o.option_index)
  FROM market_options o WHERE o.market_id = m.id) AS options`;

// Volume and bettors from the positions, per market (the trades_market_user and positions keys serve both).
const STATS_OF_MARKET = `(SELECT coalesce(sum(p.invested + p.taken_out), 0)::bigint FROM positions p
    WHERE p.market_id = m.id) AS volume,
  (SELECT count(DISTINCT p.user_id) FROM positions p WHERE p.market_id = m.id) AS bettors`;

interface MarketWithOptionsRow extends MarketRow {
  readonly escrow: number;
  readonly options: OptionRow[] | null;
  readonly volume?: number;
  readonly bettors?: number;
}

async function marketRows(
  client: PgQueryable,
  columns: string,
  where: string,
  values: unknown[],
  tail: string,
  name?: string,
): Promise<MarketWithOptionsRow[]> {
  const text = `SELECT ${PG_MARKET_COLUMNS}, ${columns} FROM markets m WHERE ${where} ${tail}`;
  const { rows } = await client.query<MarketWithOptionsRow>(
    name ? { name: `coachwire_market_${name}`, text, values } : { text, values },
  );
  return rows;
}

/**
 * Markets with their options (in index order) and escrow balances, in one statement for any number of
 * markets: the options come as a JSON array per market, so each market is read from one snapshot. `where`
 * and `tail` use the alias `m` and the given parameters. A `name` makes it a prepared statement: only for a
 * fixed `where` and `tail` (the name stands for the text).
 */
export async function pgMarketsWhere(
  client: PgQueryable,
  where: string,
  values: unknown[],
  tail = 'ORDER BY m.id',
  name?: string,
): Promise<Market[]> {
  const columns = `${ESCROW_OF_MARKET}, ${OPTIONS_OF_MARKET}`;
  const rows = await marketRows(client, columns, where, values, tail, name);
  return rows.map((row) => toMarket(row, row.options ?? [], row.escrow));
}

/** pgMarketsWhere with each market's activity figures, read in the same statement. */
export async function pgMarketsWithStatsWhere(
  client: PgQueryable,
  where: string,
  values: unknown[],
  tail = 'ORDER BY m.id',
  name?: string,
): Promise<{ market: Market; stats: MarketStats }[]> {
  const columns = `${ESCROW_OF_MARKET}, ${OPTIONS_OF_MARKET}, ${STATS_OF_MARKET}`;
  const rows = await marketRows(client, columns, where, values, tail, name);
  return rows.map((row) => ({
    market: toMarket(row, row.options ?? [], row.escrow),
    stats: { volume: Number(row.volume ?? 0), bettors: Number(row.bettors ?? 0) },
  }));
}
