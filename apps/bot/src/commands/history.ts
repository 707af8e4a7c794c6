import { type PlanRef, renderHistory } from '@coachwire/core';
import type { BotContext } from '../context.js';
import { type BotReply, viewReply } from '../util/bot-reply.js';
import type { PlanSubcommand } from './plan-subcommand.js';
import { addCoachOption, addDateOption, addPlanOption, targetFromOptions } from './slash-options.js';

/** A plan's edit history, newest first. */
export async function planHistory(context: BotContext, target: PlanRef): Promise<BotReply> {
  const { plan, revisions } = await context.service.history(target);
  return viewReply(renderHistory(plan, context.service.coachName(plan.coach), revisions));
}

/** `/plan history`: a plan's revisions. */
export const historySubcommand: PlanSubcommand = {
  name: 'history',
  description: "A plan's edit history",
  usage: '/plan history plan:<id>  or  /plan history coach:<coach> [date:YYYY-MM-DD]',
  ephemeral: false,
  build: (builder) =>
    addDateOption(addCoachOption(addPlanOption(builder), false), 'Trading date (default today)'),
  execute: (context, _invocation, options) => planHistory(context, targetFromOptions(options)),
};
