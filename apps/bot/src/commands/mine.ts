import { parseOptionalDate, renderPlanList } from '@coachwire/core';
import type { BotContext } from '../context.js';
import { type BotReply, viewReply } from '../util/bot-reply.js';
import { defineCommand } from './bot-command.js';
import type { Invocation } from './invocation.js';
import { addDateOption } from './slash-options.js';

/** How many of the user's plans one reply lists. */
const MY_PLANS_SHOWN = 15;

/** The invoking user's own plans, newest first, optionally for one date. */
export async function listMyPlans(
  context: BotContext,
  invocation: Invocation,
  tradingDate?: string,
): Promise<BotReply> {
  const page = await context.service.list({
    authorId: invocation.actor.id,
    tradingDate,
    limit: MY_PLANS_SHOWN,
  });
  const heading = tradingDate ? `Your plans for ${tradingDate}` : 'Your recent plans';
  const empty = tradingDate ? `You have no plans for ${tradingDate}.` : 'You have not posted any plans yet.';
  return viewReply(
    renderPlanList(page.items, (coachId) => context.service.coachName(coachId), heading, empty),
    [],
    true,
  );
}

/** `!myplans` and `/plan mine`: the user's own plans (shown to them only, where Discord allows it). */
export const mineCommand = defineCommand<{ tradingDate?: string | undefined }>({
  preconditions: ['listening-here', 'rate-limited'],
  prefix: { name: 'myplans', usage: '{p}myplans [YYYY-MM-DD]', parse: (rest) => parseOptionalDate(rest) },
  slash: {
    name: 'mine',
    description: 'Your own plans',
    usage: '/plan mine [date:YYYY-MM-DD]',
    ephemeral: true,
    build: (builder) => addDateOption(builder, 'Only this trading date'),
    read: (options) => ({ tradingDate: options.string('date') ?? undefined }),
  },
  execute: (context, invocation, { tradingDate }) => listMyPlans(context, invocation, tradingDate),
});
