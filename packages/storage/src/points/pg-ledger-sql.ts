/** The un-reversed transfers of one settlement of a market, with both account keys, in id order. */
export const PG_SETTLEMENT_TRANSFERS = `SELECT t.id, t.guild_id AS "guildId", fa.key AS "fromKey", ta.key AS "toKey",
    t.amount, t.kind, t.market_id AS "marketId", t.settlement, t.reverses_id AS reverses, t.memo,
    t.created_at AS "createdAt"
  FROM transfers t
  JOIN accounts fa ON fa.id = t.from_account_id
  JOIN accounts ta ON ta.id = t.to_account_id
  WHERE t.market_id = $1 AND t.settlement = $2 AND t.kind IN ('payout', 'lp_return', 'refund', 'dust')
    AND NOT EXISTS (SELECT 1 FROM transfers r WHERE r.reverses_id = t.id)
  ORDER BY t.id`;

/**
 * Creates the missing accounts among `keys` (already in lock order) and locks them all, in one statement.
 * The insert runs first (the first branch of the UNION ALL): ON CONFLICT DO NOTHING waits for a concurrent
 * inserter of the same key to finish, and a row this statement inserts is already its own. Then the
 * existing rows are locked in key order (byte order, the same for every transaction). A row committed by
 * another transaction after this statement's snapshot is in neither branch; the caller locks it with
 * PG_LOCK_ACCOUNTS in a statement of its own. `inserted` tells which keys this transaction created.
 * Parameters $1 to $6: guild, keys, kinds, user ids, escrow market ids, now.
 */
export const PG_ENSURE_AND_LOCK_CTES = `wanted AS (
    SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::int[]) WITH ORDINALITY
      AS a(key, kind, user_id, market_id, n)),
  inserted AS (
    INSERT INTO accounts (guild_id, key, kind, user_id, market_id, created_at)
    SELECT $1, w.key, w.kind, w.user_id, w.market_id, $6 FROM wanted w ORDER BY w.n
    ON CONFLICT (guild_id, key) DO NOTHING
    RETURNING id, key, balance, last_daily_date),
  existing AS (
    SELECT id, key, balance, last_daily_date FROM accounts
    WHERE guild_id = $1 AND key = ANY($2::text[]) ORDER BY key COLLATE "C" FOR UPDATE),
  locked_accounts AS (
    SELECT id, key, balance, last_daily_date AS "lastDailyDate", true AS inserted FROM inserted
    UNION ALL
    SELECT id, key, balance, last_daily_date AS "lastDailyDate", false AS inserted FROM existing)`;

export const PG_ENSURE_AND_LOCK_ACCOUNTS = `WITH ${PG_ENSURE_AND_LOCK_CTES} SELECT * FROM locked_accounts`;

/** Locks accounts in key order (byte order, the same for every transaction) and reads them. */
export const PG_LOCK_ACCOUNTS = `SELECT id, key, balance, last_daily_date AS "lastDailyDate" FROM accounts
  WHERE guild_id = $1 AND key = ANY($2::text[]) ORDER BY key COLLATE "C" FOR UPDATE`;

export const PG_INSERT_MARKET = `INSERT INTO markets (id, guild_id, question, description, mechanism, weight,
    subsidy, subsidy_payer, creator_id, creator_name, plan_id, coach_id, created_at, closes_at, status, settlements)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`;

export const PG_INSERT_OPTIONS = `INSERT INTO market_options (market_id, option_index, label, pool)
  SELECT $1, o.idx, o.label, o.pool FROM unnest($2::int[], $3::text[], $4::bigint[]) AS o(idx, label, pool)`;

export const PG_UPDATE_MARKET = `UPDATE markets SET closes_at = $2, status = $3, resolution_option = $4,
    resolution_probability = $5, settled_at = $6, settled_by = $7, settlements = $8
  WHERE id = $1`;

/**
 * Everything a decision writes besides its market row, in ONE statement (each part a data-modifying CTE;
 * an empty array writes nothing): transfers (in the decision's order, so their ids follow it), balance and
 * daily-claim changes (one row per account: a statement may not change a row twice), positions, trades,
 * option pools, audit entries, the idempotency key's result, and the provisional accounts left unused.
 * The parts touch different rows, so running them together changes nothing but the round trips.
 */
export const PG_APPLY_EFFECTS = `WITH
  new_transfers AS (
    INSERT INTO transfers (guild_id, from_account_id, to_account_id, amount, kind, market_id, settlement,
      reverses_id, memo, created_at)
    SELECT $1, t.from_id, t.to_id, t.amount, t.kind, t.market_id, t.settlement, t.reverses_id, t.memo, $2
    FROM unnest($3::int[], $4::int[], $5::bigint[], $6::text[], $7::int[], $8::int[], $9::bigint[], $10::text[])
      WITH ORDINALITY AS t(from_id, to_id, amount, kind, market_id, settlement, reverses_id, memo, n)
    ORDER BY t.n),
  changed_accounts AS (
    UPDATE accounts a SET balance = a.balance + d.delta, last_daily_date = coalesce(d.daily, a.last_daily_date)
    FROM unnest($11::int[], $12::bigint[], $13::text[]) AS d(id, delta, daily) WHERE a.id = d.id),
  changed_positions AS (
    INSERT INTO positions (market_id, user_id, option_index, shares, invested, taken_out, payout)
    SELECT * FROM unnest($14::int[], $15::text[], $16::int[], $17::bigint[], $18::bigint[], $19::bigint[],
      $20::bigint[])
    ON CONFLICT (market_id, user_id, option_index) DO UPDATE SET shares = excluded.shares,
      invested = excluded.invested, taken_out = excluded.taken_out, payout = excluded.payout),
  new_trades AS (
    INSERT INTO trades (id, guild_id, market_id, user_id, option_index, side, points, shares,
      probabilities_before, probabilities_after, created_at)
    SELECT t.id, $1, t.market_id, t.user_id, t.option_index, t.side, t.points, t.shares, t.before, t.after, $2
    FROM unnest($21::bigint[], $22::int[], $23::text[], $24::int[], $25::text[], $26::bigint[], $27::bigint[],
      $28::text[], $29::text[]) AS t(id, market_id, user_id, option_index, side, points, shares, before, after)),
  changed_pools AS (
    UPDATE market_options o SET pool = u.pool
    FROM unnest($31::int[], $32::bigint[]) AS u(idx, pool) WHERE o.market_id = $30 AND o.option_index = u.idx),
  new_audit AS (
    INSERT INTO audit_log (guild_id, actor_id, actor_name, action, subject, reason, created_at)
    SELECT $1, e.actor_id, e.actor_name, e.action, e.subject, e.reason, $2
    FROM unnest($33::text[], $34::text[], $35::text[], $36::text[], $37::text[]) WITH ORDINALITY
      AS e(actor_id, actor_name, action, subject, reason, n)
    ORDER BY e.n),
  unused_accounts AS (DELETE FROM accounts WHERE id = ANY($38::int[])),
  replay AS (UPDATE idempotency_keys SET result = $40 WHERE guild_id = $1 AND key = $39)
  SELECT 1`;

/**
 * Reserves ids from the tables' identity sequences: a market id when the decision creates a market, and one
 * id per trade. Sequences never hand the same value to two transactions, so instances never collide.
 */
export const PG_RESERVE_IDS = `SELECT
    CASE WHEN $1::boolean THEN nextval(pg_get_serial_sequence('markets', 'id')) END AS market,
    ARRAY(SELECT nextval(pg_get_serial_sequence('trades', 'id')) FROM generate_series(1, $2::int)) AS trades`;
