import { type PlanRef, parseTarget } from '@coachwire/core';
import type { BotContext } from '../context.js';
import { cancelCoachCall } from '../markets/coach-call-markets.js';
import { type BotReply, textReply } from '../util/bot-reply.js';
import { defineCommand } from './bot-command.js';
import type { Invocation } from './invocation.js';
import { addCoachOption, addDateOption, addPlanOption, targetFromOptions } from './slash-options.js';

/** Soft-deletes a plan; the coach and date can be posted again afterwards. */
export async function deletePlan(
  context: BotContext,
  invocation: Invocation,
  target: PlanRef,
): Promise<BotReply> {
  const plan = await context.service.delete(invocation.actor, target);
  const coachName = context.service.coachName(plan.coach);
  const market = await cancelCoachCall(context, plan);
  const deleted = `🗑️ Deleted ${coachName}'s plan for ${plan.tradingDate} (#${plan.id}).`;
  return textReply(market ? `${deleted}\n${market}` : deleted);
}

/** `!delete` and `/plan delete`: soft-deletes a plan named by id or by coach and date. */
export const deleteCommand = defineCommand<{ target: PlanRef }>({
  preconditions: ['listening-here', 'rate-limited'],
  prefix: {
    name: 'delete',
    usage: '{p}delete <coach> [YYYY-MM-DD]  or  {p}delete <plan id>',
    parse: (rest, { coachIds }) => parseTarget(rest, coachIds),
  },
  slash: {
    name: 'delete',
    description: 'Delete a plan (yours, or any as an admin)',
    usage: '/plan delete plan:<id>  or  /plan delete coach:<coach> [date:YYYY-MM-DD]',
    ephemeral: false,
    build: (builder) =>
      addDateOption(addCoachOption(addPlanOption(builder), false), 'Trading date (default today)'),
    read: (options) => ({ target: targetFromOptions(options) }),
  },
  execute: (context, invocation, { target }) => deletePlan(context, invocation, target),
});
