import type { BotContext } from '../../context.js';
import { type BotReply, textReply } from '../../util/bot-reply.js';

/**
 * The public answer to a resolve or cancel: the result (outcome, top winners, total paid) when this command
 * won its announcement, and the market message is updated; otherwise a short confirmation (the sweep or
 * another process already announced it).
 */
export async function settledReply(
  context: BotContext,
  marketId: number,
  fallback: string,
): Promise<BotReply> {
  const summary = await context.marketQueries.market(marketId);
  const announcement = context.marketBoard ? await context.marketBoard.claimSettlement(summary) : null;
  return textReply(announcement ?? fallback);
}
