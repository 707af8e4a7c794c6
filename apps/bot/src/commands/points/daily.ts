import { parseNoArguments } from '@coachwire/core';
import { textReply } from '../../util/bot-reply.js';
import { defineCommand } from '../bot-command.js';
import { formatPoints, requestOf } from '../markets/market-request.js';

/** `!daily` and `/points daily`: claims today's points, once per trading day. */
export const dailyCommand = defineCommand<Record<string, never>>({
  preconditions: ['listening-here', 'rate-limited'],
  prefix: { name: 'daily', usage: '{p}daily', parse: parseNoArguments },
  slash: {
    group: 'points',
    name: 'daily',
    description: "Claim today's points (once per trading day)",
    usage: '/points daily',
    ephemeral: true,
    build: (builder) => builder,
    read: () => ({}),
  },
  async execute(context, invocation) {
    const claim = await context.points.claimDaily(invocation.actor, requestOf(invocation));
    return textReply(
      `🎁 You claimed **${formatPoints(claim.claimed)}** for ${claim.tradingDate}. Balance: ${formatPoints(claim.balance)}.`,
      true,
    );
  },
});
