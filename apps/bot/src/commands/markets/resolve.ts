import { parseSettlement, ValidationError } from '@coachwire/core';
import { defineCommand } from '../bot-command.js';
import { addMarketOption, marketIdFrom } from './market-options.js';
import { guildOf, requestOf } from './market-request.js';
import { settledReply } from './settle-reply.js';

/** `/market resolve market outcome`: settles to an option, to a percentage (Yes/No AMM), or cancels. */
export const resolveMarketCommand = defineCommand<{ marketId: number; outcome: string }>({
  preconditions: ['listening-here', 'rate-limited'],
  slash: {
    group: 'market',
    name: 'resolve',
    description: 'Resolve a market: to an option, a percentage (Yes/No AMM) or cancel (creator or admin)',
    usage: '/market resolve market:<id> outcome:<option | 62% | cancel>',
    ephemeral: false,
    build: (builder) =>
      addMarketOption(builder).addStringOption((option) =>
        option
          .setName('outcome')
          .setDescription('The winning option, a percentage like 62% (Yes/No AMM), or cancel')
          .setRequired(true)
          .setAutocomplete(true),
      ),
    read: (options) => {
      const outcome = options.string('outcome')?.trim();
      if (!outcome)
        throw new ValidationError('Name the outcome: an option, a percentage or cancel.', 'outcome');
      return { marketId: marketIdFrom(options), outcome };
    },
  },
  async execute(context, invocation, { marketId, outcome }) {
    const market = await context.markets.get(guildOf(invocation), marketId);
    const choice = parseSettlement(market, outcome);
    if (choice.kind === 'cancel') {
      await context.markets.cancel(invocation.actor, requestOf(invocation), marketId, null);
      return settledReply(context, marketId, `🚫 Market #${marketId} was cancelled; stakes were refunded.`);
    }
    await context.markets.resolve(invocation.actor, requestOf(invocation), marketId, choice.resolution);
    return settledReply(context, marketId, `🏁 Market #${marketId} was resolved.`);
  },
});
