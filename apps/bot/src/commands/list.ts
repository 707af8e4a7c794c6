import { parseOptionalDate, renderPlanList } from '@coachwire/core';
import type { BotContext } from '../context.js';
import { type BotReply, viewReply } from '../util/bot-reply.js';
import { defineCommand } from './bot-command.js';
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

/** `!plans` and `/plan list`: every coach's plan for a date. */
export const listCommand = defineCommand<{ tradingDate?: string | undefined }>({
  preconditions: ['listening-here', 'rate-limited'],
  prefix: { name: 'plans', usage: '{p}plans [YYYY-MM-DD]', parse: (rest) => parseOptionalDate(rest) },
  slash: {
    name: 'list',
    description: "Every coach's plan for a date",
    usage: '/plan list [date:YYYY-MM-DD]',
    ephemeral: false,
    build: (builder) => addDateOption(builder, 'Trading date (default today)'),
    read: (options) => ({ tradingDate: options.string('date') ?? undefined }),
  },
  execute: (context, _invocation, { tradingDate }) => listPlans(context, tradingDate),
});
