import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

// PostgreSQL mirror of markets/market-schema.ts. Points, micro-shares and billionths are bigint (read as JS
// numbers, checked safe by the driver setup in postgres/pg-database.ts); no column holds money as a float.

/** One row per market. "Closed" is not stored: it is `closes_at` passing. */
export const markets = pgTable(
  'markets',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    guildId: text('guild_id').notNull(),
    question: text('question').notNull(),
    description: text('description'),
    mechanism: text('mechanism', { enum: ['cpmm', 'lmsr', 'pool'] }).notNull(),
    /** cpmm's weight p in billionths. */
    weight: bigint('weight', { mode: 'number' }).notNull(),
    subsidy: bigint('subsidy', { mode: 'number' }).notNull(),
    subsidyPayer: text('subsidy_payer', { enum: ['creator', 'house'] }).notNull(),
    creatorId: text('creator_id').notNull(),
    creatorName: text('creator_name').notNull(),
    planId: integer('plan_id'),
    coachId: text('coach_id'),
    createdAt: text('created_at').notNull(),
    closesAt: text('closes_at').notNull(),
    status: text('status', { enum: ['open', 'resolved', 'cancelled'] }).notNull(),
    resolutionOption: integer('resolution_option'),
    /** MKT resolution in billionths. */
    resolutionProbability: bigint('resolution_probability', { mode: 'number' }),
    settledAt: text('settled_at'),
    settledBy: text('settled_by'),
    settlements: integer('settlements').notNull().default(0),
  },
  (table) => [
    index('markets_status_closes_at_idx').on(table.status, table.closesAt),
    index('markets_guild_id_idx').on(table.guildId, table.id),
    index('markets_coach_idx').on(table.guildId, table.coachId),
    check('markets_mechanism_check', sql`${table.mechanism} in ('cpmm', 'lmsr', 'pool')`),
    check('markets_status_check', sql`${table.status} in ('open', 'resolved', 'cancelled')`),
  ],
);

/** The options of a market and each option's pool (micro-shares for the AMMs, points for the pool). */
export const marketOptions = pgTable(
  'market_options',
  {
    marketId: integer('market_id')
      .notNull()
      .references(() => markets.id),
    optionIndex: integer('option_index').notNull(),
    label: text('label').notNull(),
    pool: bigint('pool', { mode: 'number' }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.marketId, table.optionIndex] }),
    check('market_options_pool_check', sql`${table.pool} >= 0`),
  ],
);

/** A user's holding of one option: micro-shares, points put in and taken out, and the current payout. */
export const positions = pgTable(
  'positions',
  {
    marketId: integer('market_id')
      .notNull()
      .references(() => markets.id),
    userId: text('user_id').notNull(),
    optionIndex: integer('option_index').notNull(),
    shares: bigint('shares', { mode: 'number' }).notNull(),
    invested: bigint('invested', { mode: 'number' }).notNull(),
    takenOut: bigint('taken_out', { mode: 'number' }).notNull(),
    payout: bigint('payout', { mode: 'number' }).notNull().default(0),
  },
  (table) => [
    primaryKey({ columns: [table.marketId, table.userId, table.optionIndex] }),
    check(
      'positions_non_negative',
      sql`${table.shares} >= 0 and ${table.invested} >= 0 and ${table.takenOut} >= 0`,
    ),
  ],
);

/** Every buy and sell; append-only (a trigger refuses UPDATE and DELETE). */
export const trades = pgTable(
  'trades',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    guildId: text('guild_id').notNull(),
    marketId: integer('market_id')
      .notNull()
      .references(() => markets.id),
    userId: text('user_id').notNull(),
    optionIndex: integer('option_index').notNull(),
    side: text('side', { enum: ['buy', 'sell'] }).notNull(),
    points: bigint('points', { mode: 'number' }).notNull(),
    shares: bigint('shares', { mode: 'number' }).notNull(),
    probabilitiesBefore: text('probabilities_before').notNull(),
    probabilitiesAfter: text('probabilities_after').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (table) => [
    index('trades_market_user_idx').on(table.marketId, table.userId),
    check('trades_side_check', sql`${table.side} in ('buy', 'sell')`),
  ],
);
