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
 * Creates the missing accounts among `keys` (already in lock order). ON CONFLICT DO NOTHING waits for a
 * concurrent inserter of the same key to finish, so afterwards every key has a row this transaction can lock.
 * Returns the keys this transaction inserted.
 */
export const PG_ENSURE_ACCOUNTS = `INSERT INTO accounts (guild_id, key, kind, user_id, market_id, created_at)
  SELECT $1, a.key, a.kind, a.user_id, a.market_id, $6
  FROM unnest($2::text[], $3::text[], $4::text[], $5::int[]) WITH ORDINALITY AS a(key, kind, user_id, market_id, n)
  ORDER BY a.n
  ON CONFLICT (guild_id, key) DO NOTHING
  RETURNING key`;

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

export const PG_UPDATE_POOLS = `UPDATE market_options o SET pool = u.pool
  FROM unnest($2::int[], $3::bigint[]) AS u(idx, pool) WHERE o.market_id = $1 AND o.option_index = u.idx`;

export const PG_INSERT_TRANSFERS = `INSERT INTO transfers (guild_id, from_account_id, to_account_id, amount, kind,
    market_id, settlement, reverses_id, memo, created_at)
  SELECT $1, t.from_id, t.to_id, t.amount, t.kind, t.market_id, t.settlement, t.reverses_id, t.memo, $10
  FROM unnest($2::int[], $3::int[], $4::bigint[], $5::text[], $6::int[], $7::int[], $8::bigint[], $9::text[])
    WITH ORDINALITY AS t(from_id, to_id, amount, kind, market_id, settlement, reverses_id, memo, n)
  ORDER BY t.n`;

export const PG_ADD_TO_BALANCES = `UPDATE accounts a SET balance = a.balance + d.delta
  FROM unnest($1::int[], $2::bigint[]) AS d(id, delta) WHERE a.id = d.id`;

export const PG_UPSERT_POSITIONS = `INSERT INTO positions (market_id, user_id, option_index, shares, invested,
    taken_out, payout)
  SELECT * FROM unnest($1::int[], $2::text[], $3::int[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[])
  ON CONFLICT (market_id, user_id, option_index) DO UPDATE SET shares = excluded.shares,
    invested = excluded.invested, taken_out = excluded.taken_out, payout = excluded.payout`;

export const PG_INSERT_TRADES = `INSERT INTO trades (id, guild_id, market_id, user_id, option_index, side, points,
    shares, probabilities_before, probabilities_after, created_at)
  SELECT t.id, $1, t.market_id, t.user_id, t.option_index, t.side, t.points, t.shares, t.before, t.after, $11
  FROM unnest($2::bigint[], $3::int[], $4::text[], $5::int[], $6::text[], $7::bigint[], $8::bigint[],
    $9::text[], $10::text[]) AS t(id, market_id, user_id, option_index, side, points, shares, before, after)`;

export const PG_INSERT_AUDIT = `INSERT INTO audit_log (guild_id, actor_id, actor_name, action, subject, reason,
    created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`;

/**
 * Reserves ids from the tables' identity sequences: a market id when the decision creates a market, and one
 * id per trade. Sequences never hand the same value to two transactions, so instances never collide.
 */
export const PG_RESERVE_IDS = `SELECT
    CASE WHEN $1::boolean THEN nextval(pg_get_serial_sequence('markets', 'id')) END AS market,
    ARRAY(SELECT nextval(pg_get_serial_sequence('trades', 'id')) FROM generate_series(1, $2::int)) AS trades`;
