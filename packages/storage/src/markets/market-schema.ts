import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** One row per market. "Closed" is not stored: it is `closes_at` passing. */
export const markets = sqliteTable(
  'markets',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    guildId: text('guild_id').notNull(),
    question: text('question').notNull(),
    description: text('description'),
    mechanism: text('mechanism', { enum: ['cpmm', 'lmsr', 'pool'] }).notNull(),
    /** cpmm's weight p in billionths. */
    weight: integer('weight').notNull(),
    subsidy: integer('subsidy').notNull(),
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
    resolutionProbability: integer('resolution_probability'),
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
export const marketOptions = sqliteTable(
  'market_options',
  {
    marketId: integer('market_id')
      .notNull()
      .references(() => markets.id),
    optionIndex: integer('option_index').notNull(),
    label: text('label').notNull(),
    pool: integer('pool').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.marketId, table.optionIndex] }),
    check('market_options_pool_check', sql`${table.pool} >= 0`),
  ],
);

/** A user's holding of one option: micro-shares, points put in and taken out, and the current payout. */
export const positions = sqliteTable(
  'positions',
  {
    marketId: integer('market_id')
      .notNull()
      .references(() => markets.id),
    userId: text('user_id').notNull(),
    optionIndex: integer('option_index').notNull(),
    shares: integer('shares').notNull(),
    invested: integer('invested').notNull(),
    takenOut: integer('taken_out').notNull(),
    payout: integer('payout').notNull().default(0),
  },
  (table) => [
    primaryKey({ columns: [table.marketId, table.userId, table.optionIndex] }),
    check(
      'positions_non_negative',
      sql`${table.shares} >= 0 and ${table.invested} >= 0 and ${table.takenOut} >= 0`,
    ),
  ],
);

/** Every buy and sell; append-only. Probabilities (billionths, JSON arrays) before and after. */
export const trades = sqliteTable(
  'trades',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    guildId: text('guild_id').notNull(),
    marketId: integer('market_id')
      .notNull()
      .references(() => markets.id),
    userId: text('user_id').notNull(),
    optionIndex: integer('option_index').notNull(),
    side: text('side', { enum: ['buy', 'sell'] }).notNull(),
    points: integer('points').notNull(),
    shares: integer('shares').notNull(),
    probabilitiesBefore: text('probabilities_before').notNull(),
    probabilitiesAfter: text('probabilities_after').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (table) => [
    index('trades_market_user_idx').on(table.marketId, table.userId),
    check('trades_side_check', sql`${table.side} in ('buy', 'sell')`),
  ],
);
