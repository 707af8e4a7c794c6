import type { MarketQueries } from './market-queries.js';
import type { MarketService } from './market-service.js';
import type { MarketSummary } from './market-summary.js';

/**
 * Cancels, with refunds, every unsettled market on a deleted plan, in whichever guild each is: a plan belongs to
 * its coach and day, not to the guild it was posted in, and a call that no longer exists cannot be judged.
 * Resolves to the cancelled markets as they are now. Each cancel is keyed by plan and market, so a retry
 * (or the bot and the API both deleting) cancels once.
 */
export async function cancelCallsOfDeletedPlan(
  markets: MarketService,
  queries: MarketQueries,
  planId: number,
): Promise<MarketSummary[]> {
  const unsettled: { readonly id: number; readonly guildId: string }[] = [];
  // Every page: a plan may have any number of markets (the API opens more than one).
  let cursor: string | undefined;
  do {
    const page = await queries.list({ planId, cursor, limit: 50 });
    for (const { market } of page.items) if (market.status === 'open') unsettled.push(market);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  const cancelled: MarketSummary[] = [];
  for (const { id: marketId, guildId } of unsettled) {
    await markets.cancelForDeletedPlan(
      { guildId, idempotencyKey: `plan-deleted:${planId}:${marketId}` },
      marketId,
    );
    cancelled.push(await queries.market(marketId));
  }
  return cancelled;
}
