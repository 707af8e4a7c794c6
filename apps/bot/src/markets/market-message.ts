import { clipText, formatPercent, type MarketSummary, type Plan } from '@coachwire/core';
import {
  ActionRowBuilder,
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  ButtonBuilder,
  ButtonStyle,
  EmbedBuilder,
} from 'discord.js';
import { formatPoints, mention } from '../commands/markets/market-request.js';

/** Custom ids of the market message's buttons: `mkt:bet:<market>:<option>` and `mkt:sell:<market>`. */
export const BET_BUTTON = 'mkt:bet:';
export const SELL_BUTTON = 'mkt:sell:';

const PHASE_COLORS = { open: 0x27ae60, closed: 0xf2994a, resolved: 0x2f80ed, cancelled: 0x828282 } as const;
const BUTTONS_PER_ROW = 5;

/** A market message's body: the embed and its buttons (disabled once trading stopped). */
export interface MarketMessageBody {
  readonly embeds: APIEmbed[];
  readonly components: APIActionRowComponent<APIComponentInMessageActionRow>[];
}

/** Seconds since the epoch, for Discord's `<t:unix:R>` timestamps. */
export function unixSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

function optionLine(summary: MarketSummary, index: number): string {
  const option = summary.options[index]!;
  if (option.pool === null) return `**${formatPercent(option.probability)}**`;
  const odds = option.odds === null ? 'no stake yet' : `odds ${option.odds.toFixed(2)}×`;
  return `pool ${formatPoints(option.pool)} · ${odds}`;
}

function statusLine(summary: MarketSummary): string {
  const { market } = summary;
  const at = `<t:${unixSeconds(market.closesAt)}:R>`;
  switch (summary.phase) {
    case 'open':
      // The date and time too (Discord shows each reader their own local time): a close typed as "16:00" is read
      // in the configured timezone, which members elsewhere cannot see.
      return `🟢 Open · closes <t:${unixSeconds(market.closesAt)}:f> (${at})`;
    case 'closed':
      return `🔒 Closed for trading ${at} · waiting for ${mention(market.creatorId)} or an admin to resolve it`;
    case 'resolved': {
      const resolution = summary.resolution;
      const outcome =
        resolution?.kind === 'option'
          ? `**${resolution.label}**`
          : `**${formatPercent(resolution?.probability ?? 0)}** (split)`;
      return `✅ Resolved to ${outcome}`;
    }
    case 'cancelled':
      return '🚫 Cancelled · every stake was refunded';
  }
}

/** The embed of a market: question, each option's price (or pool and odds), volume, bettors, close and creator. */
export function marketEmbed(summary: MarketSummary, plan: Plan | null = null): EmbedBuilder {
  const { market } = summary;
  const description = [statusLine(summary)];
  if (market.description) description.push('', market.description);
  if (plan) {
    description.push('', `📄 On plan #${plan.id} (${plan.tradingDate}).`);
    // "Stays open" only while it is: under a cancelled or settled market the line would contradict the status.
    if (plan.editedAt)
      description.push(
        `✏️ The plan was edited <t:${unixSeconds(plan.editedAt)}:R>${market.status === 'open' ? '; the market stays open' : ''}.`,
      );
  }
  const kind =
    market.mechanism === 'pool'
      ? 'Pool (parimutuel)'
      : market.mechanism === 'cpmm'
        ? 'AMM (Yes/No)'
        : 'AMM (LMSR)';
  return new EmbedBuilder()
    .setTitle(clipText(`#${market.id} · ${market.question}`, 256))
    .setColor(PHASE_COLORS[summary.phase])
    .setDescription(description.join('\n').slice(0, 4096))
    .addFields(
      ...summary.options.map((option) => ({
        name: option.label,
        value: optionLine(summary, option.index),
        inline: true,
      })),
      { name: 'Volume', value: formatPoints(summary.volume), inline: true },
      { name: 'Bettors', value: String(summary.bettors), inline: true },
      { name: 'Created by', value: mention(market.creatorId), inline: true },
    )
    .setFooter({ text: `${kind} · market #${market.id}` });
}

/** Bet buttons per option (five to a row), then Sell for AMM markets; all disabled unless trading. */
export function marketButtons(summary: MarketSummary): ActionRowBuilder<ButtonBuilder>[] {
  const disabled = summary.phase !== 'open';
  const buttons = summary.options.map((option) =>
    new ButtonBuilder()
      .setCustomId(`${BET_BUTTON}${summary.market.id}:${option.index}`)
      .setLabel(clipText(`Bet ${option.label}`, 80))
      .setStyle(ButtonStyle.Primary)
      .setDisabled(disabled),
  );
  if (summary.options.every((option) => option.pool === null))
    buttons.push(
      new ButtonBuilder()
        .setCustomId(`${SELL_BUTTON}${summary.market.id}`)
        .setLabel('Sell')
        .setStyle(ButtonStyle.Secondary)
        .setDisabled(disabled),
    );
  return buttonRows(buttons);
}

/** Buttons laid out in action rows of five, as many rows as they need. */
export function buttonRows(buttons: readonly ButtonBuilder[]): ActionRowBuilder<ButtonBuilder>[] {
  const rows: ActionRowBuilder<ButtonBuilder>[] = [];
  for (let start = 0; start < buttons.length; start += BUTTONS_PER_ROW)
    rows.push(
      new ActionRowBuilder<ButtonBuilder>().addComponents(buttons.slice(start, start + BUTTONS_PER_ROW)),
    );
  return rows;
}

/** The message body showing a market now. */
export function marketMessageBody(summary: MarketSummary, plan: Plan | null = null): MarketMessageBody {
  return {
    embeds: [marketEmbed(summary, plan).toJSON()],
    components: marketButtons(summary).map((row) => row.toJSON()),
  };
}
