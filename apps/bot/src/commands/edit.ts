import { type PlanRef, parseTargetAndText, renderPlan } from '@coachwire/core';
import type { BotContext } from '../context.js';
import { showPlanEdit } from '../markets/coach-call-markets.js';
import { type BotReply, viewReply } from '../util/bot-reply.js';
import { defineCommand } from './bot-command.js';
import { type EditInput, type Invocation, ignoredNotes, notifyPlanSaved } from './invocation.js';
import {
  addChartOptions,
  addCoachOption,
  addDateOption,
  addPlanOption,
  addTextOption,
  targetFromOptions,
} from './slash-options.js';

/** Replaces a plan's text (and its charts when attachments come with the edit). */
export async function editPlan(
  context: BotContext,
  invocation: Invocation,
  input: EditInput,
): Promise<BotReply> {
  const result = await context.service.edit(invocation.actor, input.target, {
    text: input.text,
    charts: input.charts,
  });
  const later = notifyPlanSaved(context, result.plan);
  await showPlanEdit(context, result.plan);
  const coachName = context.service.coachName(result.plan.coach);
  const headline = `✏️ Updated ${coachName}'s plan for ${result.plan.tradingDate} (#${result.plan.id}).`;
  return {
    ...viewReply(renderPlan(result.plan, { name: coachName }), [headline, ...ignoredNotes(result.ignored)]),
    later,
  };
}

/** `!edit` and `/plan edit`: replaces the text (and charts, when attached) of a plan named by id or by coach and date. */
export const editCommand = defineCommand<{ target: PlanRef; text: string }>({
  preconditions: ['listening-here', 'rate-limited'],
  prefix: {
    name: 'edit',
    usage: '{p}edit <coach> [YYYY-MM-DD] <new text>  or  {p}edit <plan id> <new text>',
    parse: (rest, { coachIds }) => parseTargetAndText(rest, coachIds),
  },
  slash: {
    name: 'edit',
    description: 'Edit a plan (yours, or any as an admin)',
    usage:
      '/plan edit plan:<id> text:<new text>  or  /plan edit coach:<coach> [date:YYYY-MM-DD] text:<new text>',
    ephemeral: false,
    build: (builder) =>
      addChartOptions(
        addDateOption(
          addCoachOption(addPlanOption(addTextOption(builder, true)), false),
          'Trading date (default today)',
        ),
      ),
    read: (options) => ({ target: targetFromOptions(options), text: options.string('text') ?? '' }),
  },
  execute: (context, invocation, args) =>
    editPlan(context, invocation, { ...args, charts: invocation.charts }),
});
