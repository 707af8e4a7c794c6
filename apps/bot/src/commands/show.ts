import { type PlanRef, renderPlan } from '@coachwire/core';
import type { BotContext } from '../context.js';
import { type BotReply, viewReply } from '../util/bot-reply.js';
import { defineCommand } from './bot-command.js';
import { addCoachOption, addDateOption, addPlanOption, targetFromOptions } from './slash-options.js';

/** One plan with its charts. */
export async function showPlan(context: BotContext, target: PlanRef): Promise<BotReply> {
  const plan = await context.service.get(target);
  return viewReply(renderPlan(plan, { name: context.service.coachName(plan.coach) }));
}

/** `/plan show`: one plan with its charts (slash only). */
export const showCommand = defineCommand<{ target: PlanRef }>({
  preconditions: ['listening-here', 'rate-limited'],
  slash: {
    name: 'show',
    description: 'Show one plan with its charts',
    usage: '/plan show plan:<id>  or  /plan show coach:<coach> [date:YYYY-MM-DD]',
    ephemeral: false,
    build: (builder) =>
      addDateOption(addCoachOption(addPlanOption(builder), false), 'Trading date (default today)'),
    read: (options) => ({ target: targetFromOptions(options) }),
  },
  execute: (context, _invocation, { target }) => showPlan(context, target),
});
