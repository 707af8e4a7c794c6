import {
  COLORS,
  DISCORD_LIMITS,
  formatPercent,
  linesWithin,
  type MarketPhase,
  type MarketSummary,
  ValidationError,
} from '@coachwire/core';
import { unixSeconds } from '../../markets/market-message.js';
import { viewReply } from '../../util/bot-reply.js';
import { defineCommand } from '../bot-command.js';
import { formatPoints, guildOf } from './market-request.js';

const PHASES: readonly MarketPhase[] = ['open', 'closed', 'resolved', 'cancelled'];

function readPhase(typed: string | null): MarketPhase {
  const phase = (typed ?? '').trim().toLowerCase() || 'open';
  if (!PHASES.includes(phase as MarketPhase))
    throw new ValidationError(
      `'${phase.slice(0, 20)}' is not a market state; use open, closed, resolved or cancelled.`,
      'status',
    );
  return phase as MarketPhase;
}

/** Options shown per market in a list; a line stays one line on a phone. */
const LISTED_OPTIONS = 4;

function line(summary: MarketSummary): string {
  const { market } = summary;
  const shown = summary.options
    .slice(0, LISTED_OPTIONS)
    .map((option) => `${option.label} ${formatPercent(option.probability)}`);
  // The rest are on the market's own message (`!market <id>`): say how many, so none seems to be missing.
  const more = summary.options.length - LISTED_OPTIONS;
  const prices = [...shown, ...(more > 0 ? [`+${more} more`] : [])].join(' · ');
  const when = summary.phase === 'open' ? ` · closes <t:${unixSeconds(market.closesAt)}:R>` : '';
  return `**#${market.id}** ${market.question}\n${prices} · ${formatPoints(summary.volume)} traded${when}`;
}

/** `!markets [state]` and `/market list [open|closed|resolved|cancelled]`: the newest markets in a state. */
export const listMarketsCommand = defineCommand<{ phase: MarketPhase }>({
  preconditions: ['listening-here', 'rate-limited'],
  prefix: {
    name: 'markets',
    usage: '{p}markets [open|closed|resolved|cancelled]',
    parse: (rest) => ({ phase: readPhase(rest) }),
  },
  slash: {
    group: 'market',
    name: 'list',
    description: 'Markets that are open (default), closed, resolved or cancelled',
    usage: '/market list [status:open|closed|resolved|cancelled]',
    ephemeral: false,
    build: (builder) =>
      builder.addStringOption((option) =>
        option
          .setName('status')
          .setDescription('Which markets (default open)')
          .addChoices(
            { name: 'open', value: 'open' },
            { name: 'closed', value: 'closed' },
            { name: 'resolved', value: 'resolved' },
            { name: 'cancelled', value: 'cancelled' },
          ),
      ),
    read: (options) => ({ phase: readPhase(options.string('status')) }),
  },
  async execute(context, invocation, { phase }) {
    const page = await context.marketQueries.list({ guildId: guildOf(invocation), status: phase, limit: 10 });
    return viewReply({
      title: `📈 ${phase[0]!.toUpperCase()}${phase.slice(1)} markets`,
      description:
        page.items.length > 0
          ? linesWithin(page.items.map(line), DISCORD_LIMITS.embedDescription, '\n\n')
          : `No ${phase} markets right now.`,
      fields: [],
      imageUrls: [],
      color: COLORS.list,
    });
  },
});
