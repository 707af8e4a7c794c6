import { type PlanRef, renderPlan } from '@coachwire/core';
import type { BotContext } from '../context.js';
import { type BotReply, viewReply } from '../util/bot-reply.js';
import type { PlanSubcommand } from './plan-subcommand.js';
import { addCoachOption, addDateOption, addPlanOption, targetFromOptions } from './slash-options.js';

/** One plan with its charts. */
export async function showPlan(context: BotContext, target: PlanRef): Promise<BotReply> {
  const plan = await context.service.get(target);
  return viewReply(renderPlan(plan, { name: context.service.coachName(plan.coach) }));
}

/** `/plan show`: one plan with its charts. */
export const showSubcommand: PlanSubcommand = {
  name: 'show',
  description: 'Show one plan with its charts',
  usage: '/plan show plan:<id>  or  /plan show coach:<coach> [date:YYYY-MM-DD]',
  ephemeral: false,
  build: (builder) =>
    addDateOption(addCoachOption(addPlanOption(builder), false), 'Trading date (default today)'),
  execute: (context, _invocation, options) => showPlan(context, targetFromOptions(options)),
};
