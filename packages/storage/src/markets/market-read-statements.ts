import { and, asc, count, desc, eq, gt, sql } from 'drizzle-orm';
import type { CoachwireDatabase } from '../database.js';
import { accounts } from '../points/points-schema.js';
import { marketOptions, markets, positions, trades } from './market-schema.js';

const p = sql.placeholder;
/** The ids of a page arrive as one JSON array parameter (the plan statements' style). */
const inIds = (column: typeof markets.id | typeof marketOptions.marketId) =>
  sql`${column} in (select value from json_each(${p('ids')}))`;

/** A narrow view of the raw statement, so the inferred statement map names no better-sqlite3 internals. */
interface HistoryStatement {
  all(params: { marketId: number; step: number; total: number }): { at: string; probabilities: string }[];
}

/** Every statement the market read store runs, prepared once per connection. */
export function prepareMarketReadStatements({ db, sqlite }: CoachwireDatabase) {
  return {
    // One statement for every filter combination: a null parameter switches its filter off. Markets are few
    // (thousands), and the id order walks the primary key.
    marketPage: db
      .select()
      .from(markets)
      .where(
        sql`(${p('guildId')} is null or ${markets.guildId} = ${p('guildId')})
          and (${p('status')} is null or ${markets.status} = ${p('status')})
          and (${p('closed')} is null or (${markets.closesAt} <= ${p('now')}) = ${p('closed')})
          and (${p('planId')} is null or ${markets.planId} = ${p('planId')})
          and ${markets.id} < ${p('beforeId')}`,
      )
      .orderBy(desc(markets.id))
      .limit(p('limit'))
      .prepare(),
    marketById: db
      .select()
      .from(markets)
      .where(eq(markets.id, p('id')))
      .prepare(),
    marketsOfPlans: db
      .select()
      .from(markets)
      .where(sql`${markets.planId} in (select value from json_each(${p('ids')}))`)
      .orderBy(asc(markets.id))
      .prepare(),
    optionsOfMarkets: db
      .select()
      .from(marketOptions)
      .where(inIds(marketOptions.marketId))
      .orderBy(asc(marketOptions.marketId), asc(marketOptions.optionIndex))
      .prepare(),
    // By (guild, key), the accounts' unique index: one lookup per market, never a scan of every account.
    escrowBalance: db
      .select({ balance: accounts.balance })
      .from(accounts)
      .where(and(eq(accounts.guildId, p('guildId')), eq(accounts.key, p('key'))))
      .prepare(),
    // A market's figures as of now, read once per market; later trades are added from tradesAfter.
    volumeOfMarket: db
      .select({ volume: sql<number>`coalesce(sum(${positions.invested} + ${positions.takenOut}), 0)` })
      .from(positions)
      .where(eq(positions.marketId, p('marketId')))
      .prepare(),
    bettorsOfMarket: db
      .selectDistinct({ userId: positions.userId })
      .from(positions)
      .where(eq(positions.marketId, p('marketId')))
      .prepare(),
    // Walks the primary key: the trades since the last look, whatever their market.
    tradesAfter: db
      .select({ id: trades.id, marketId: trades.marketId, userId: trades.userId, points: trades.points })
      .from(trades)
      .where(sql`${trades.id} > ${p('afterId')}`)
      .orderBy(asc(trades.id))
      .limit(p('limit'))
      .prepare(),
    latestTradeId: db
      .select({ id: sql<number>`coalesce(max(${trades.id}), 0)` })
      .from(trades)
      .prepare(),
    tradesOfMarket: db
      .select()
      .from(trades)
      .where(and(eq(trades.marketId, p('marketId')), sql`${trades.id} < ${p('beforeId')}`))
      .orderBy(desc(trades.id))
      .limit(p('limit'))
      .prepare(),
    tradeCount: db
      .select({ n: count() })
      .from(trades)
      .where(eq(trades.marketId, p('marketId')))
      .prepare(),
    openPositionsOfUser: db
      .select()
      .from(positions)
      .innerJoin(markets, eq(markets.id, positions.marketId))
      .where(
        and(
          eq(markets.guildId, p('guildId')),
          eq(markets.status, 'open'),
          eq(positions.userId, p('userId')),
          gt(positions.shares, 0),
        ),
      )
      .orderBy(asc(positions.marketId), asc(positions.optionIndex))
      .prepare(),
    countOpenMarkets: db
      .select({ n: count() })
      .from(markets)
      .where(and(eq(markets.status, 'open'), sql`${markets.closesAt} > ${p('now')}`))
      .prepare(),
    circulation: db
      .select({ guildId: accounts.guildId, points: sql<number>`-${accounts.balance}` })
      .from(accounts)
      .where(eq(accounts.kind, 'house'))
      .orderBy(asc(accounts.guildId))
      .prepare(),
    // Every `step`-th trade and the last one: a chart needs the shape, not every one of 100,000 trades. A step
    // of 0 keeps the last one alone (one point asked: the first trade beside it would make two).
    sampledHistory: sqlite.prepare(
      `SELECT created_at AS at, probabilities_after AS probabilities FROM (
         SELECT created_at, probabilities_after, row_number() OVER (ORDER BY id) AS rn
         FROM trades WHERE market_id = @marketId)
       WHERE (@step > 0 AND (rn - 1) % @step = 0) OR rn = @total ORDER BY rn`,
    ) as HistoryStatement,
  };
}

export type MarketReadStatements = ReturnType<typeof prepareMarketReadStatements>;
