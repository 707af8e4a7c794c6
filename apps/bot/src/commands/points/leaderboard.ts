import { COLORS, tradingDateIn, ValidationError } from '@coachwire/core';
import { viewReply } from '../../util/bot-reply.js';
import { defineCommand } from '../bot-command.js';
import { formatPoints, guildOf, mention } from '../markets/market-request.js';

type Period = 'all' | 'month';

function readPeriod(typed: string | null): Period {
  const period = (typed ?? '').trim().toLowerCase() || 'all';
  if (period !== 'all' && period !== 'month')
    throw new ValidationError(`'${period.slice(0, 20)}' is not a period; use all or month.`, 'period');
  return period;
}

/** `!leaderboard [month]` and `/points leaderboard [all|month]`: members ranked by market profit. */
export const leaderboardCommand = defineCommand<{ period: Period }>({
  preconditions: ['listening-here', 'rate-limited'],
  prefix: {
    name: 'leaderboard',
    aliases: ['lb', 'top'],
    usage: '{p}leaderboard [all|month]',
    parse: (rest) => ({ period: readPeriod(rest) }),
  },
  slash: {
    group: 'points',
    name: 'leaderboard',
    description: 'Members ranked by market profit, all time or this month',
    usage: '/points leaderboard [period:all|month]',
    ephemeral: false,
    build: (builder) =>
      builder.addStringOption((option) =>
        option
          .setName('period')
          .setDescription('All time (default) or this calendar month')
          .addChoices({ name: 'all time', value: 'all' }, { name: 'this month', value: 'month' }),
      ),
    read: (options) => ({ period: readPeriod(options.string('period')) }),
  },
  async execute(context, invocation, { period }) {
    const month = tradingDateIn(context.timezone, new Date(context.clock.now())).slice(0, 7);
    const standings = await context.points.leaderboard(guildOf(invocation), {
      ...(period === 'month' ? { month } : {}),
      limit: 10,
    });
    const lines = standings.map(
      (standing) =>
        `**${standing.rank}.** ${mention(standing.userId)} · ${standing.profitAndLoss >= 0 ? '+' : ''}${formatPoints(standing.profitAndLoss)} · balance ${formatPoints(standing.balance)}`,
    );
    return viewReply({
      title: period === 'month' ? `🏆 Leaderboard · ${month}` : '🏆 Leaderboard · all time',
      description:
        lines.length > 0 ? lines.join('\n') : 'Nobody has traded yet. Claim `/points daily` and bet!',
      fields: [],
      imageUrls: [],
      color: COLORS.list,
    });
  },
});
