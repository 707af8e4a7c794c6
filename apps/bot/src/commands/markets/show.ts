import { NotFoundError, parseMarketId } from '@coachwire/core';
import { marketEmbed } from '../../markets/market-message.js';
import type { BotReply } from '../../util/bot-reply.js';
import { defineCommand } from '../bot-command.js';
import { addMarketOption, marketIdFrom } from './market-options.js';
import { guildOf } from './market-request.js';

/** `/market show market` and `!market <id>`: the market's embed, with a link to its message when there is one. */
export const showMarketCommand = defineCommand<{ marketId: number }>({
  preconditions: ['listening-here', 'rate-limited'],
  prefix: { name: 'market', usage: '{p}market <id>', parse: (rest) => ({ marketId: parseMarketId(rest) }) },
  slash: {
    group: 'market',
    name: 'show',
    description: 'Show a market: prices, volume, bettors and close',
    usage: '/market show market:<id>',
    ephemeral: false,
    build: addMarketOption,
    read: (options) => ({ marketId: marketIdFrom(options) }),
  },
  async execute(context, invocation, { marketId }): Promise<BotReply> {
    const summary = await context.marketQueries.market(marketId);
    if (summary.market.guildId !== guildOf(invocation))
      throw new NotFoundError(`No market with id ${marketId}.`);
    const planId = summary.market.planId;
    const plan = planId === null ? null : await context.service.findById(planId, { includeDeleted: true });
    return { embeds: [marketEmbed(summary, plan).toJSON()], views: [], ephemeral: false };
  },
});
