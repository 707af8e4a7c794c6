import { parseUserMention } from '@coachwire/core';
import { textReply } from '../../util/bot-reply.js';
import { defineCommand } from '../bot-command.js';
import { formatPoints, guildOf, mention } from '../markets/market-request.js';

/** `!balance [@user]` and `/points balance [user]`: a member's points (your own by default). */
export const balanceCommand = defineCommand<{ userId: string | null }>({
  preconditions: ['listening-here', 'rate-limited'],
  prefix: {
    name: 'balance',
    aliases: ['bal', 'points'],
    usage: '{p}balance [@member]',
    parse: (rest) => ({ userId: parseUserMention(rest) }),
  },
  slash: {
    group: 'points',
    name: 'balance',
    description: "Your points, or another member's",
    usage: '/points balance [user:<member>]',
    ephemeral: true,
    build: (builder) =>
      builder.addUserOption((option) =>
        option.setName('user').setDescription('Whose balance (default yours)'),
      ),
    read: (options) => ({ userId: options.user('user')?.id ?? null }),
  },
  async execute(context, invocation, { userId }) {
    const guildId = guildOf(invocation);
    const whose = userId ?? invocation.actor.id;
    const { balance } = await context.points.balance(guildId, whose);
    const standing = await context.points.standing(guildId, whose);
    const profit =
      standing === null
        ? ''
        : ` · market profit ${standing.profitAndLoss >= 0 ? '+' : ''}${formatPoints(standing.profitAndLoss)}`;
    const who = whose === invocation.actor.id ? 'You have' : `${mention(whose)} has`;
    return textReply(`💰 ${who} **${formatPoints(balance)}**${profit}.`, true);
  },
});
