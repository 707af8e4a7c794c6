import { renderPlanList } from '@coachwire/core';
import type { BotContext } from '../context.js';
import { type BotReply, viewReply } from '../util/bot-reply.js';
import type { PlanSubcommand } from './plan-subcommand.js';
import { addDateOption } from './slash-options.js';

/** Every coach's plan for one date (default today). */
export async function listPlans(context: BotContext, tradingDate?: string): Promise<BotReply> {
  const plans = await context.service.listDate(tradingDate);
  const date = plans[0]?.tradingDate ?? tradingDate ?? context.service.today();
  return viewReply(
    renderPlanList(
      plans,
      (coachId) => context.service.coachName(coachId),
      `Plans for ${date}`,
      `No plans for ${date} yet.`,
    ),
  );
}

/** `/plan list`: every coach's plan for a date. */
export const listSubcommand: PlanSubcommand = {
  name: 'list',
  description: "Every coach's plan for a date",
  usage: '/plan list [date:YYYY-MM-DD]',
  ephemeral: false,
  build: (builder) => addDateOption(builder, 'Trading date (default today)'),
  execute: (context, _invocation, options) => listPlans(context, options.string('date') ?? undefined),
};
