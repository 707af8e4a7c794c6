import { defineCommand } from '../bot-command.js';
import { addMarketOption, marketIdFrom } from './market-options.js';
import { requestOf } from './market-request.js';
import { settledReply } from './settle-reply.js';

/** `/market cancel market [reason]`: cancels a market and refunds every stake (creator or admin). */
export const cancelMarketCommand = defineCommand<{ marketId: number; reason: string | null }>({
  preconditions: ['listening-here', 'rate-limited'],
  slash: {
    group: 'market',
    name: 'cancel',
    description: 'Cancel a market and refund every stake (creator or admin)',
    usage: '/market cancel market:<id> [reason:<why>]',
    ephemeral: false,
    build: (builder) =>
      addMarketOption(builder).addStringOption((option) =>
        option.setName('reason').setDescription('Why (shown in the audit log)').setMaxLength(200),
      ),
    read: (options) => ({
      marketId: marketIdFrom(options),
      reason: options.string('reason')?.trim() || null,
    }),
  },
  async execute(context, invocation, { marketId, reason }) {
    await context.markets.cancel(invocation.actor, requestOf(invocation), marketId, reason);
    return settledReply(context, marketId, `🚫 Market #${marketId} was cancelled; stakes were refunded.`);
  },
});
