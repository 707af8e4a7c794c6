import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';

// PostgreSQL mirror of points/points-schema.ts. Points are bigint integers; no float column holds money.

/** Ledger accounts. `balance` caches the account's transfers; only the house may go negative (CHECK). */
export const accounts = pgTable(
  'accounts',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    guildId: text('guild_id').notNull(),
    key: text('key').notNull(),
    kind: text('kind', { enum: ['house', 'rounding', 'escrow', 'user'] }).notNull(),
    userId: text('user_id'),
    marketId: integer('market_id'),
    balance: bigint('balance', { mode: 'number' }).notNull().default(0),
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
export const transfers = pgTable(
  'transfers',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    guildId: text('guild_id').notNull(),
    fromAccountId: integer('from_account_id')
      .notNull()
      .references(() => accounts.id),
    toAccountId: integer('to_account_id')
      .notNull()
      .references(() => accounts.id),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    kind: text('kind').notNull(),
    marketId: integer('market_id'),
    settlement: integer('settlement'),
    reversesId: bigint('reverses_id', { mode: 'number' }),
    memo: text('memo'),
    createdAt: text('created_at').notNull(),
  },
  (table) => [
    index('transfers_from_idx').on(table.fromAccountId),
    index('transfers_to_idx').on(table.toAccountId),
    index('transfers_market_settlement_idx').on(table.marketId, table.settlement),
    // Partial, as on SQLite: only reversals set reverses_id, so ordinary transfers add no entry to it.
    index('transfers_reverses_idx').on(table.reversesId).where(sql`${table.reversesId} IS NOT NULL`),
    check('transfers_amount_positive', sql`${table.amount} > 0`),
    check('transfers_distinct_accounts', sql`${table.fromAccountId} <> ${table.toAccountId}`),
  ],
);

/** The first result of each state-changing request, by idempotency key; kept at least 7 days. */
export const idempotencyKeys = pgTable(
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
export const auditLog = pgTable(
  'audit_log',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
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
