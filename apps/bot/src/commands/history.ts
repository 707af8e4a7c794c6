import { type PlanRef, parseTarget, renderHistory } from '@coachwire/core';
import type { BotContext } from '../context.js';
import { type BotReply, viewReply } from '../util/bot-reply.js';
import { defineCommand } from './bot-command.js';
import { addCoachOption, addDateOption, addPlanOption, targetFromOptions } from './slash-options.js';

/** A plan's edit history, newest first. */
export async function planHistory(context: BotContext, target: PlanRef): Promise<BotReply> {
  const { plan, revisions } = await context.service.history(target);
  return viewReply(renderHistory(plan, context.service.coachName(plan.coach), revisions));
}

/** `!history` and `/plan history`: a plan's revisions. */
export const historyCommand = defineCommand<{ target: PlanRef }>({
  preconditions: ['listening-here', 'rate-limited'],
  prefix: {
    name: 'history',
    usage: '{p}history <coach> [YYYY-MM-DD]  or  {p}history <plan id>',
    parse: (rest, { coachIds }) => parseTarget(rest, coachIds),
  },
  slash: {
    name: 'history',
    description: "A plan's edit history",
    usage: '/plan history plan:<id>  or  /plan history coach:<coach> [date:YYYY-MM-DD]',
    ephemeral: false,
    build: (builder) =>
      addDateOption(addCoachOption(addPlanOption(builder), false), 'Trading date (default today)'),
    read: (options) => ({ target: targetFromOptions(options) }),
  },
  execute: (context, _invocation, { target }) => planHistory(context, target),
});
