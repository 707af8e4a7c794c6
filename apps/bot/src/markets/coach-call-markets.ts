import { cancelCallsOfDeletedPlan, isCoachwireError, type Plan } from '@coachwire/core';
import type { Invocation } from '../commands/invocation.js';
import type { BotContext } from '../context.js';

// Coach-call markets: a coach's daily plan opens a Yes/No market on it (when enabled), the plan's edits show
// on the market, and deleting the plan cancels it with refunds. The rules are the engine's; this is the glue.
// A failure here never fails the plan command: the plan is saved, and the member is told what did not happen.

/** The markets on a plan, in every guild: a plan belongs to its coach and date, not to the guild it was posted in. */
async function marketsOfPlan(context: BotContext, planId: number) {
  const page = await context.marketQueries.list({ planId, limit: 10 });
  return page.items;
}

/**
 * Opens the market on a newly posted plan and posts its message; resolves to the note for the plan's reply
 * ("📈 Market #12 … <link>"), or null when coach calls are off or the plan already has its market.
 */
export async function openCoachCall(
  context: BotContext,
  invocation: Invocation,
  plan: Plan,
): Promise<string | null> {
  if (!context.coachCalls || invocation.guildId === null) return null;
  const guildId = invocation.guildId;
  try {
    const existing = await marketsOfPlan(context, plan.id);
    if (existing.some((summary) => summary.market.status !== 'cancelled')) return null;
    const coach = context.service.resolveCoach(plan.coach);
    const { market, note } = await context.markets.createCoachCall(
      invocation.actor,
      { guildId, idempotencyKey: `coach-call:${plan.id}:${invocation.requestId}` },
      { planId: plan.id, coachId: coach.id, coachName: coach.name, tradingDate: plan.tradingDate },
    );
    const link =
      context.marketBoard && invocation.channelId
        ? await context.marketBoard.post(guildId, invocation.channelId, market.id)
        : null;
    return [`📈 Market #${market.id}: ${market.question}${link ? ` ${link}` : ''}`, note ? `ℹ️ ${note}` : null]
      .filter((line) => line !== null)
      .join('\n');
  } catch (error) {
    // A plan posted for a day whose close has passed gets no market by rule; anything else is worth a warning.
    if (isCoachwireError(error) && error.code === 'MARKET_CLOSED') return `ℹ️ No market: ${error.message}`;
    context.logger.warn({ err: error, planId: plan.id }, 'could not open the coach-call market');
    const why = error instanceof Error ? error.message : 'an unexpected error';
    return `ℹ️ The plan is saved, but its market could not be opened: ${why}`;
  }
}

/** Shows a plan's edit on its market message (the market stays open). */
export async function showPlanEdit(context: BotContext, plan: Plan): Promise<void> {
  if (!context.marketBoard) return;
  try {
    for (const summary of await marketsOfPlan(context, plan.id)) context.marketBoard.touch(summary.market.id);
  } catch (error) {
    context.logger.warn({ err: error, planId: plan.id }, 'could not show the plan edit on its market');
  }
}

/**
 * Cancels the unsettled markets of a deleted plan, with refunds, in whichever guild each is (the plan may be
 * deleted from another guild than it was posted in); resolves to the note for the delete's reply.
 */
export async function cancelCoachCall(context: BotContext, plan: Plan): Promise<string | null> {
  try {
    const notes: string[] = [];
    for (const settled of await cancelCallsOfDeletedPlan(context.markets, context.marketQueries, plan.id)) {
      notes.push(
        (await context.marketBoard?.claimSettlement(settled)) ??
          `🚫 Market #${settled.market.id} was cancelled.`,
      );
    }
    return notes.length > 0 ? notes.join('\n') : null;
  } catch (error) {
    context.logger.warn({ err: error, planId: plan.id }, 'could not cancel the coach-call market');
    return `⚠️ The plan is deleted, but its market could not be cancelled yet; an admin can cancel it.`;
  }
}
