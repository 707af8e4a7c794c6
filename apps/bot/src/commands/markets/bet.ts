import { findOption, parseBetCommand } from '@coachwire/core';
import { tradeDoneText } from '../../markets/trade-quotes.js';
import { textReply } from '../../util/bot-reply.js';
import { defineCommand } from '../bot-command.js';
import { guildOf, requestOf } from './market-request.js';

/**
 * `!bet <market> <option> <amount>`: bets at once, at the current price (a prefix command has no quote to
 * confirm); the message id is the idempotency key, so a message delivered twice bets once.
 */
export const betCommand = defineCommand<{ marketId: number; option: string; points: number }>({
  preconditions: ['listening-here', 'rate-limited'],
  prefix: {
    name: 'bet',
    usage: '{p}bet <market id> <option> <points>  e.g. {p}bet 12 yes 100',
    parse: (rest) => parseBetCommand(rest),
  },
  async execute(context, invocation, { marketId, option, points }) {
    const market = await context.markets.get(guildOf(invocation), marketId);
    const result = await context.markets.buy(invocation.actor, requestOf(invocation), {
      marketId,
      option: findOption(market, option),
      points,
    });
    context.marketBoard?.touch(marketId);
    return textReply(tradeDoneText(market, result));
  },
});
