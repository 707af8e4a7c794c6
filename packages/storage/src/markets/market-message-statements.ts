import { and, asc, desc, eq, lt, or, sql } from 'drizzle-orm';
import type { CoachwireDatabase } from '../database.js';
import { marketMessages } from './market-message-schema.js';
import { markets, positions } from './market-schema.js';

const p = sql.placeholder;

// The columns come out under the snake_case names of market-message-rows.ts, whose mappers the PostgreSQL
// store shares; the two "due" flags are 0/1 as SQLite computes them.
const linkColumns = {
  market_id: marketMessages.marketId,
  guild_id: marketMessages.guildId,
  channel_id: marketMessages.channelId,
  message_id: marketMessages.messageId,
};
const closeDue = and(eq(marketMessages.closeAnnounced, 0), sql`${markets.closesAt} <= ${p('now')}`);
const settlementDue = and(
  sql`${markets.settlements} > ${marketMessages.announcedSettlements}`,
  sql`${markets.status} <> 'open'`,
);

/** Every statement the market message store runs, prepared once per connection. */
export function prepareMarketMessageStatements({ db }: CoachwireDatabase) {
  return {
    link: db
      .insert(marketMessages)
      .values({
        marketId: p('marketId'),
        guildId: p('guildId'),
        channelId: p('channelId'),
        messageId: p('messageId'),
      })
      .onConflictDoUpdate({
        target: marketMessages.marketId,
        set: { channelId: sql`excluded.channel_id`, messageId: sql`excluded.message_id` },
      })
      .prepare(),
    linkOf: db
      .select(linkColumns)
      .from(marketMessages)
      .where(eq(marketMessages.marketId, p('marketId')))
      .prepare(),
    due: db
      .select({
        ...linkColumns,
        settlements: markets.settlements,
        announced_settlements: marketMessages.announcedSettlements,
        close_due: sql<number>`${closeDue}`,
        settlement_due: sql<number>`${settlementDue}`,
      })
      .from(marketMessages)
      .innerJoin(markets, eq(markets.id, marketMessages.marketId))
      .where(or(closeDue, settlementDue))
      .orderBy(asc(marketMessages.marketId))
      .limit(p('limit'))
      .prepare(),
    claimClose: db
      .update(marketMessages)
      .set({ closeAnnounced: 1 })
      .where(and(eq(marketMessages.marketId, p('marketId')), eq(marketMessages.closeAnnounced, 0)))
      .prepare(),
    claimSettlement: db
      .update(marketMessages)
      .set({ announcedSettlements: sql`${p('settlements')}`, closeAnnounced: 1 })
      .where(
        and(
          eq(marketMessages.marketId, p('marketId')),
          lt(marketMessages.announcedSettlements, p('settlements')),
        ),
      )
      .prepare(),
    releaseSettlement: db
      .update(marketMessages)
      .set({ announcedSettlements: sql`${p('announced')}` })
      .where(
        and(
          eq(marketMessages.marketId, p('marketId')),
          eq(marketMessages.announcedSettlements, p('settlements')),
        ),
      )
      .prepare(),
    payouts: db
      .select({ user_id: positions.userId, points: sql<number>`sum(${positions.payout})`.as('points') })
      .from(positions)
      .where(eq(positions.marketId, p('marketId')))
      .groupBy(positions.userId)
      .having(sql`sum(${positions.payout}) > 0`)
      .orderBy(desc(sql`points`), asc(positions.userId))
      .prepare(),
  };
}

export type MarketMessageStatements = ReturnType<typeof prepareMarketMessageStatements>;
