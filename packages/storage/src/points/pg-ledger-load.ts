import {
  ESCROW_OF_MARKET,
  OPTIONS_OF_MARKET,
  PG_MARKET_COLUMNS,
  PG_POSITION_COLUMNS,
} from '../markets/pg-market-sql.js';
import { PG_ENSURE_AND_LOCK_CTES } from './pg-ledger-sql.js';

/**
 * Locks a market's row and reads what never changes on it (its guild and creator), so the statement after
 * it knows every account to lock. Waiting here is what queues the operations on one market.
 */
export const PG_LOCK_MARKET = `SELECT guild_id AS "guildId", creator_id AS "creatorId" FROM markets
  WHERE id = $1::bigint FOR UPDATE`;

/**
 * After PG_LOCK_MARKET, in ONE statement: creates and locks the users' accounts (as PG_ENSURE_AND_LOCK_ACCOUNTS,
 * $1 to $6), and reads the market with its options and escrow ($7) and the positions of the users in $8
 * (null: all). It runs in a later statement than the lock on purpose: READ COMMITTED gives each statement a
 * fresh snapshot, so this one sees what the previous holder of the market's lock committed. The account
 * rows it locks are their latest versions (a locked row is re-read once its holder commits).
 */
export const PG_LOAD_MARKET_AND_LOCK_USERS = `WITH ${PG_ENSURE_AND_LOCK_CTES}
  SELECT (SELECT json_agg(a) FROM locked_accounts a) AS accounts,
    (SELECT row_to_json(x) FROM (SELECT ${PG_MARKET_COLUMNS}, ${ESCROW_OF_MARKET}, ${OPTIONS_OF_MARKET}
       FROM markets m WHERE m.id = $7) x) AS market,
    (SELECT json_agg(x ORDER BY x."userId" COLLATE "C", x."optionIndex") FROM (
       SELECT ${PG_POSITION_COLUMNS} FROM positions p
       WHERE p.market_id = $7 AND ($8::text[] IS NULL OR p.user_id = ANY($8::text[]))) x) AS positions`;

/**
 * Reserves trade ids (as PG_RESERVE_IDS, $7 of them) and creates and locks the accounts a trade writes
 * (as PG_ENSURE_AND_LOCK_ACCOUNTS, $1 to $6), in one statement: a trade's accounts are known before its ids.
 */
export const PG_RESERVE_TRADES_AND_LOCK_ACCOUNTS = `WITH ${PG_ENSURE_AND_LOCK_CTES}
  SELECT (SELECT json_agg(a) FROM locked_accounts a) AS accounts,
    ARRAY(SELECT nextval(pg_get_serial_sequence('trades', 'id')) FROM generate_series(1, $7::int)) AS trades`;
