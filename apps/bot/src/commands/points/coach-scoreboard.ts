import { COLORS, formatPercent } from '@coachwire/core';
import { viewReply } from '../../util/bot-reply.js';
import { defineCommand } from '../bot-command.js';
import { guildOf } from '../markets/market-request.js';
import { addCoachOption } from '../slash-options.js';

const MAX_FIELDS = 25;

/** `/coach scoreboard [coach]`: each coach's calls as the crowd priced them (hit rate, crowd confidence, Brier). */
export const coachScoreboardCommand = defineCommand<{ coach: string | null }>({
  preconditions: ['listening-here', 'rate-limited'],
  slash: {
    group: 'coach',
    name: 'scoreboard',
    description: "Coaches' calls: resolved, hit rate, the crowd's confidence and Brier score",
    usage: '/coach scoreboard [coach:<coach>]',
    ephemeral: false,
    build: (builder) => addCoachOption(builder, false),
    read: (options) => ({ coach: options.string('coach') }),
  },
  async execute(context, invocation, { coach }) {
    const guildId = guildOf(invocation);
    const coaches = coach ? [context.service.resolveCoach(coach)] : context.service.coaches;
    const fields = await Promise.all(
      coaches.map(async (entry) => {
        const board = await context.markets.coachScoreboard(guildId, entry.id);
        const value =
          board.callsResolved === 0
            ? 'No call resolved yet.'
            : [
                `Calls resolved: **${board.callsResolved}**`,
                `Hit rate: **${formatPercent(board.hitRate ?? 0)}**`,
                `Crowd's average confidence: ${formatPercent(board.averageCrowdProbability ?? 0)}`,
                `Crowd's Brier score: ${(board.brierScore ?? 0).toFixed(3)} (lower is better)`,
              ].join('\n');
        return { name: entry.name, value };
      }),
    );
    // An embed holds 25 fields: say who is left out, and how to see them.
    const hidden = fields.length - MAX_FIELDS;
    return viewReply({
      title: '📋 Coach scoreboard',
      description: [
        'How the coaches’ daily calls turned out, and how well the crowd priced them.',
        ...(hidden > 0
          ? [`${hidden} more coach${hidden === 1 ? ' is' : 'es are'} not shown; name one with \`coach:\`.`]
          : []),
      ].join('\n'),
      fields: fields.slice(0, MAX_FIELDS),
      imageUrls: [],
      color: COLORS.history,
    });
  },
});
