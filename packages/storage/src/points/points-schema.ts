import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// Points are integers everywhere: no REAL column exists for money or shares.

/**
 * Ledger accounts. `balance` is a cache of the account's transfers (`coachwire db check` replays them);
 * only the house may go negative, which the CHECK enforces even if a rule were ever skipped.
 */
export const accounts = sqliteTable(
  'accounts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    guildId: text('guild_id').notNull(),
    key: text('key').notNull(),
    kind: text('kind', { enum: ['house', 'rounding', 'escrow', 'user'] }).notNull(),
    userId: text('user_id'),
    marketId: integer('market_id'),
    balance: integer('balance').notNull().default(0),
    lastDailyDate: text('last_daily_date'),
    createdAt: text('created_at').notNull(),
  },
  (table) => [
    uniqueIndex('accounts_guild_key_unique').on(table.guildId, table.key),
    check('accounts_kind_check', sql`${table.kind} in ('house', 'rounding', 'escrow', 'user')`),
    check('accounts_no_overdraft', sql`${table.kind} = 'house' or ${table.balance} >= 0`),
  ],
);

/** Every movement of points; append-only (triggers refuse UPDATE and DELETE). A correction is a new transfer. */
export const transfers = sqliteTable(
  'transfers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    guildId: text('guild_id').notNull(),
    fromAccountId: integer('from_account_id')
      .notNull()
      .references(() => accounts.id),
    toAccountId: integer('to_account_id')
      .notNull()
      .references(() => accounts.id),
    amount: integer('amount').notNull(),
    kind: text('kind').notNull(),
    marketId: integer('market_id'),
    settlement: integer('settlement'),
    reversesId: integer('reverses_id'),
    memo: text('memo'),
    createdAt: text('created_at').notNull(),
  },
  (table) => [
    index('transfers_from_idx').on(table.fromAccountId),
    index('transfers_to_idx').on(table.toAccountId),
    index('transfers_market_settlement_idx').on(table.marketId, table.settlement),
    // Partial: only reversals set reverses_id, so ordinary transfers (every bet) add no entry to it.
    index('transfers_reverses_idx').on(table.reversesId).where(sql`${table.reversesId} IS NOT NULL`),
    check('transfers_amount_positive', sql`${table.amount} > 0`),
    check('transfers_distinct_accounts', sql`${table.fromAccountId} <> ${table.toAccountId}`),
  ],
);

/** The first result of each state-changing request, by idempotency key; kept at least 7 days. */
export const idempotencyKeys = sqliteTable(
  'idempotency_keys',
  {
    guildId: text('guild_id').notNull(),
    key: text('key').notNull(),
    fingerprint: text('fingerprint').notNull(),
    result: text('result').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.guildId, table.key] }),
    index('idempotency_keys_created_at_idx').on(table.createdAt),
  ],
);

/** Admin actions: who did what to what, why and when. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    guildId: text('guild_id'),
    actorId: text('actor_id').notNull(),
    actorName: text('actor_name').notNull(),
    action: text('action').notNull(),
    subject: text('subject').notNull(),
    reason: text('reason'),
    createdAt: text('created_at').notNull(),
  },
  (table) => [index('audit_log_subject_idx').on(table.subject)],
);
