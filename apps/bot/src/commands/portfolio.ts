import { COLORS, DISCORD_LIMITS, formatShares, linesWithin } from '@coachwire/core';
import { viewReply } from '../util/bot-reply.js';
import { defineCommand } from './bot-command.js';
import { formatPoints, guildOf, mention } from './markets/market-request.js';

/** `/portfolio [user]`: balance, open positions at today's prices, and profit. */
export const portfolioCommand = defineCommand<{ userId: string | null }>({
  preconditions: ['listening-here', 'rate-limited'],
  slash: {
    group: 'portfolio',
    description: 'Open positions, what they are worth now, and profit',
    usage: '/portfolio [user:<member>]',
    ephemeral: true,
    build: (builder) =>
      builder.addUserOption((option) =>
        option.setName('user').setDescription('Whose portfolio (default yours)'),
      ),
    read: (options) => ({ userId: options.user('user')?.id ?? null }),
  },
  async execute(context, invocation, { userId }) {
    const whose = userId ?? invocation.actor.id;
    const portfolio = await context.marketQueries.portfolio(guildOf(invocation), whose);
    const lines = portfolio.positions.map(
      (position) =>
        `**#${position.marketId}** ${position.question}\n${formatShares(position.shares)} ${position.label} · put in ${formatPoints(position.invested)} · worth ${formatPoints(position.value)} now`,
    );
    const heading = `${mention(whose)} · balance **${formatPoints(portfolio.balance)}** · profit ${portfolio.profit >= 0 ? '+' : ''}${formatPoints(portfolio.profit)}\n\n`;
    // Whole positions while they fit, then how many more: a cut line would show a wrong figure.
    const room = DISCORD_LIMITS.embedDescription - heading.length;
    return viewReply(
      {
        title: `💼 Portfolio`,
        description: `${heading}${lines.length > 0 ? linesWithin(lines, room, '\n\n') : 'No open positions.'}`,
        fields: [],
        imageUrls: [],
        color: COLORS.plan,
      },
      [],
      true,
    );
  },
});
