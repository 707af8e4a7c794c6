import {
  type BuyQuote,
  formatPercent,
  formatShares,
  type Market,
  type SellQuote,
  type TradeResult,
} from '@coachwire/core';
import {
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  ButtonStyle,
  ComponentType,
} from 'discord.js';
import { formatPoints } from '../commands/markets/market-request.js';
import { unixSeconds } from './market-message.js';

/** Custom ids of a quote's buttons: `mkt:confirm:<key>` and `mkt:drop:<key>`. */
export const CONFIRM_BUTTON = 'mkt:confirm:';
export const DROP_BUTTON = 'mkt:drop:';

const labelOf = (market: Market, option: number) => market.options[option]?.label ?? `option ${option + 1}`;

/** "100 pts buys 163.2 Yes shares at an average 61%; new probability 66%; pays 163 if Yes." */
export function buyQuoteText(market: Market, quote: BuyQuote): string {
  const label = labelOf(market, quote.option);
  const after = formatPercent(quote.probabilitiesAfter[quote.option] ?? 0);
  if (market.mechanism === 'pool') {
    return `${formatPoints(quote.points)} on **${label}** pays about **${formatPoints(quote.payoutIfWins)}** if ${label} wins, as the pools stand now (implied probability ${after}).`;
  }
  return `${formatPoints(quote.points)} buys **${formatShares(quote.shares)} ${label}** shares at an average ${formatPercent(quote.averagePrice)}; new probability ${after}; pays ${formatPoints(quote.payoutIfWins)} if ${label}.`;
}

/** "Selling 50.0 Yes shares returns 31 pts; new probability 58%." */
export function sellQuoteText(market: Market, quote: SellQuote): string {
  const label = labelOf(market, quote.option);
  return `Selling **${formatShares(quote.shares)} ${label}** shares returns **${formatPoints(quote.points)}**; new probability ${formatPercent(quote.probabilitiesAfter[quote.option] ?? 0)}.`;
}

/** The ephemeral quote message: what the trade does, when the quote expires, Confirm and Cancel. */
export function quoteMessage(
  market: Market,
  text: string,
  key: string,
  expiresAt: number,
  headline = `📝 Quote · market #${market.id}`,
): { content: string; components: APIActionRowComponent<APIComponentInMessageActionRow>[] } {
  return {
    content: `${headline}\n${text}\nConfirm <t:${unixSeconds(new Date(expiresAt).toISOString())}:R>; after that, ask again.`,
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.Button,
            style: ButtonStyle.Success,
            label: 'Confirm',
            custom_id: `${CONFIRM_BUTTON}${key}`,
          },
          {
            type: ComponentType.Button,
            style: ButtonStyle.Secondary,
            label: 'Cancel',
            custom_id: `${DROP_BUTTON}${key}`,
          },
        ],
      },
    ],
  };
}

/** What a confirmed trade did, for the member. */
export function tradeDoneText(market: Market, result: TradeResult): string {
  const label = labelOf(market, result.option);
  const now = formatPercent(result.probabilities[result.option] ?? 0);
  const did =
    result.side === 'buy'
      ? market.mechanism === 'pool'
        ? `✅ Bet placed: ${formatPoints(result.points)} on **${label}** (implied probability now ${now}).`
        : `✅ Bet placed: ${formatPoints(result.points)} bought **${formatShares(result.shares)} ${label}** shares; probability now ${now}.`
      : `✅ Sold ${formatShares(result.shares)} ${label} shares for **${formatPoints(result.points)}**; probability now ${now}.`;
  return `${did}\nBalance: ${formatPoints(result.balance)}.`;
}
