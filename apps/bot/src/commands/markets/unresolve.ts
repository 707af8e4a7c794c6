import { ValidationError } from '@coachwire/core';
import { textReply } from '../../util/bot-reply.js';
import { defineCommand } from '../bot-command.js';
import { addMarketOption, marketIdFrom } from './market-options.js';
import { formatPoints, requestOf } from './market-request.js';

/** `/market unresolve market reason`: an admin undoes a resolution within the window; payouts are reversed. */
export const unresolveMarketCommand = defineCommand<{ marketId: number; reason: string }>({
  preconditions: ['listening-here', 'rate-limited'],
  slash: {
    group: 'market',
    name: 'unresolve',
    description: 'Admins: undo a resolution (payouts are reversed) so it can be resolved again',
    usage: '/market unresolve market:<id> reason:<why>',
    ephemeral: false,
    build: (builder) =>
      addMarketOption(builder).addStringOption((option) =>
        option
          .setName('reason')
          .setDescription('Why the resolution was wrong')
          .setRequired(true)
          .setMaxLength(200),
      ),
    read: (options) => {
      const reason = options.string('reason')?.trim();
      if (!reason) throw new ValidationError('Say why the market is unresolved.', 'reason');
      return { marketId: marketIdFrom(options), reason };
    },
  },
  async execute(context, invocation, { marketId, reason }) {
    const result = await context.markets.unresolve(invocation.actor, requestOf(invocation), marketId, reason);
    await context.marketBoard?.refresh(marketId);
    const house =
      result.coveredByHouse > 0
        ? ` (the house covered ${formatPoints(result.coveredByHouse)} already spent)`
        : '';
    return textReply(
      `↩️ Market #${marketId} was unresolved by ${invocation.actor.name}: ${reason}. ${formatPoints(result.reversed)} of payouts were reversed${house}; it can be resolved again.`,
    );
  },
});
