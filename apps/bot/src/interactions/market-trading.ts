import {
  assertTrading,
  clipText,
  formatShares,
  InsufficientBalanceError,
  isCoachwireError,
  type Market,
  PriceMovedError,
  parsePoints,
  SHARE_UNIT,
  ValidationError,
  validateTradeAmount,
} from '@coachwire/core';
import {
  ActionRowBuilder,
  ButtonBuilder,
  type ButtonInteraction,
  ButtonStyle,
  MessageFlags,
  ModalBuilder,
  type ModalSubmitInteraction,
  TextInputBuilder,
  TextInputStyle,
} from 'discord.js';
import { guildOf, requestOf } from '../commands/markets/market-request.js';
import type { BotContext } from '../context.js';
import { buttonRows } from '../markets/market-message.js';
import type { QuotedTrade } from '../markets/pending-quotes.js';
import { buyQuoteText, quoteMessage, sellQuoteText, tradeDoneText } from '../markets/trade-quotes.js';
import { errorReply } from '../util/error-reply.js';
import { interactionInvocation, sendReply } from './slash-command.js';

// The bet and sell flows behind the market message's buttons: click → amount form → private quote →
// Confirm (the trade, with the quote's minimum) or Cancel. Every path answers the interaction exactly once.

export const AMOUNT_MODAL = 'mkt:amount:';
export const SELL_MODAL = 'mkt:sellamt:';
export const SELL_OPTION_BUTTON = 'mkt:sellopt:';
const AMOUNT_FIELD = 'amount';

type Interaction = ButtonInteraction | ModalSubmitInteraction;

function ids(customId: string, prefix: string): number[] {
  return customId.slice(prefix.length).split(':').map(Number);
}

/**
 * Answers with the refusal for `error`, privately; never throws. `usage` is what the form takes, shown with
 * a refusal of what was typed into it.
 */
export async function refuse(
  context: BotContext,
  interaction: Interaction,
  error: unknown,
  usage?: string,
): Promise<void> {
  const log = { userId: interaction.user.id, guildId: interaction.guildId, component: interaction.customId };
  await sendReply(context, interaction, errorReply(error, { logger: context.logger, log, usage }), 'not-yet');
}

/** What the bet form takes, and the command that does the same. */
function betFormUsage(context: BotContext, marketId: number): string {
  const { maxBet } = context.markets.settings;
  return `a whole number of points from 1 to ${maxBet.toLocaleString('en-US')}, e.g. 100 (or ${context.prefix}bet ${marketId} <option> <points>)`;
}

/** What the sell form takes. */
function sellFormUsage(held: number): string {
  return `all, or a number of shares up to the ${formatShares(held)} you hold, e.g. 10.5`;
}

/** Counts a bet, quote or sell against the member's and the guild's limits (admins are never counted). */
function countRequest(context: BotContext, interaction: Interaction): void {
  const { actor, guildId } = interactionInvocation(interaction);
  context.rateLimits.consume(actor.id, guildId, context.service.isAdmin(actor));
}

async function tradableMarket(
  context: BotContext,
  interaction: Interaction,
  marketId: number,
): Promise<Market> {
  const market = await context.markets.get(guildOf(interaction), marketId);
  assertTrading(market, new Date(context.clock.now()).toISOString());
  return market;
}

function amountModal(customId: string, title: string, label: string, placeholder: string): ModalBuilder {
  const input = new TextInputBuilder()
    .setCustomId(AMOUNT_FIELD)
    .setLabel(label)
    .setPlaceholder(placeholder)
    .setStyle(TextInputStyle.Short)
    .setMaxLength(20)
    .setRequired(true);
  return new ModalBuilder()
    .setCustomId(customId)
    .setTitle(clipText(title, 45))
    .addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(input));
}

/** "Bet <option>": opens the amount form. */
export async function betClicked(context: BotContext, interaction: ButtonInteraction, customId: string) {
  const [marketId, option] = ids(customId, 'mkt:bet:') as [number, number];
  try {
    countRequest(context, interaction);
    const market = await tradableMarket(context, interaction, marketId);
    const label = market.options[option]?.label ?? String(option + 1);
    await interaction.showModal(
      amountModal(
        `${AMOUNT_MODAL}${marketId}:${option}`,
        `Bet on ${label}`,
        'Points to bet',
        `e.g. 100 (at most ${context.markets.settings.maxBet.toLocaleString('en-US')})`,
      ),
    );
  } catch (error) {
    await refuse(context, interaction, error);
  }
}

/** The amount form: answers with a private quote and its Confirm and Cancel buttons. */
export async function amountSubmitted(
  context: BotContext,
  interaction: ModalSubmitInteraction,
  customId: string,
) {
  const [marketId, option] = ids(customId, AMOUNT_MODAL) as [number, number];
  try {
    // The bet's own limit first, as `!bet` checks it: "you have 800, this needs 10001" hid it.
    const points = validateTradeAmount(
      parsePoints(interaction.fields.getTextInputValue(AMOUNT_FIELD)),
      context.markets.settings.maxBet,
    );
    const market = await tradableMarket(context, interaction, marketId);
    // A quote is the first step of a bet: one the member cannot afford would only be refused at Confirm.
    const { balance } = await context.points.balance(market.guildId, interaction.user.id);
    if (points > balance) throw InsufficientBalanceError.forMember(balance, points);
    const quote = await context.markets.quoteBuy(market.guildId, marketId, option, points);
    const trade: QuotedTrade = { kind: 'buy', marketId, option, points, minShares: quote.shares };
    const { key, expiresAt } = context.pendingQuotes.add(interaction.user.id, trade);
    await interaction.reply({
      ...quoteMessage(market, buyQuoteText(market, quote), key, expiresAt),
      flags: MessageFlags.Ephemeral,
    });
  } catch (error) {
    await refuse(context, interaction, error, betFormUsage(context, marketId));
  }
}

/** "Sell": the form for the member's one holding, or a choice of which holding to sell. */
export async function sellClicked(context: BotContext, interaction: ButtonInteraction, customId: string) {
  const [marketId] = ids(customId, 'mkt:sell:') as [number];
  try {
    countRequest(context, interaction);
    const market = await tradableMarket(context, interaction, marketId);
    const held = (await context.markets.positions(marketId, interaction.user.id)).filter((p) => p.shares > 0);
    if (held.length === 0)
      throw new ValidationError(`You hold no shares in market #${marketId} to sell.`, 'market');
    if (held.length === 1) {
      await interaction.showModal(sellModal(market, held[0]!.option, held[0]!.shares));
      return;
    }
    const buttons = held.map((position) =>
      new ButtonBuilder()
        .setCustomId(`${SELL_OPTION_BUTTON}${marketId}:${position.option}`)
        .setLabel(`Sell ${market.options[position.option]?.label ?? position.option + 1}`.slice(0, 80))
        .setStyle(ButtonStyle.Secondary),
    );
    await interaction.reply({
      content: `Which holding of market #${marketId} do you want to sell?`,
      // Every holding gets its button: a row holds five and a market up to ten options.
      components: buttonRows(buttons).map((row) => row.toJSON()),
      flags: MessageFlags.Ephemeral,
    });
  } catch (error) {
    await refuse(context, interaction, error);
  }
}

function sellModal(market: Market, option: number, shares: number): ModalBuilder {
  const label = market.options[option]?.label ?? String(option + 1);
  const held = formatShares(shares);
  return amountModal(
    `${SELL_MODAL}${market.id}:${option}`,
    `Sell ${label} shares`,
    `Shares to sell (you hold ${held})`,
    'all, or e.g. 25.5',
  );
}

/** Picking a holding to sell opens its form. */
export async function sellOptionClicked(
  context: BotContext,
  interaction: ButtonInteraction,
  customId: string,
) {
  const [marketId, option] = ids(customId, SELL_OPTION_BUTTON) as [number, number];
  try {
    const market = await tradableMarket(context, interaction, marketId);
    const position = (await context.markets.positions(marketId, interaction.user.id)).find(
      (p) => p.option === option,
    );
    if (!position || position.shares === 0)
      throw new ValidationError('You no longer hold those shares.', 'market');
    await interaction.showModal(sellModal(market, option, position.shares));
  } catch (error) {
    await refuse(context, interaction, error);
  }
}

function readShares(typed: string, held: number): number {
  const text = typed.trim().toLowerCase();
  if (text === 'all') return held;
  if (!/^\d{1,9}(\.\d{1,6})?$/.test(text))
    throw new ValidationError(
      `'${typed.slice(0, 20)}' is not a number of shares; type all or e.g. 25.5.`,
      'shares',
    );
  const shares = Math.round(Number(text) * SHARE_UNIT);
  if (shares < 1) throw new ValidationError('Sell at least a millionth of a share.', 'shares');
  // The form shows the holding rounded down to a tenth: typing that figure sells all of it, leaving no dust.
  if (shares === Math.round(Number(formatShares(held)) * SHARE_UNIT)) return held;
  if (shares > held) throw new ValidationError(`You hold only ${formatShares(held)} shares.`, 'shares');
  return shares;
}

/** The sell form: answers with a private quote and its Confirm and Cancel buttons. */
export async function sellAmountSubmitted(
  context: BotContext,
  interaction: ModalSubmitInteraction,
  customId: string,
) {
  const [marketId, option] = ids(customId, SELL_MODAL) as [number, number];
  let held: number | undefined;
  try {
    const market = await tradableMarket(context, interaction, marketId);
    const position = (await context.markets.positions(marketId, interaction.user.id)).find(
      (p) => p.option === option,
    );
    held = position?.shares ?? 0;
    const shares = readShares(interaction.fields.getTextInputValue(AMOUNT_FIELD), held);
    const quote = await context.markets.quoteSell(market.guildId, marketId, option, shares);
    const trade: QuotedTrade = { kind: 'sell', marketId, option, shares, minPoints: quote.points };
    const { key, expiresAt } = context.pendingQuotes.add(interaction.user.id, trade);
    await interaction.reply({
      ...quoteMessage(market, sellQuoteText(market, quote), key, expiresAt),
      flags: MessageFlags.Ephemeral,
    });
  } catch (error) {
    await refuse(context, interaction, error, held ? sellFormUsage(held) : undefined);
  }
}

/** Cancel on a quote: nothing is traded. */
export async function dropClicked(context: BotContext, interaction: ButtonInteraction, key: string) {
  context.pendingQuotes.finish(key, interaction.user.id);
  try {
    await interaction.update({ content: 'Cancelled; nothing was traded.', components: [] });
  } catch (error) {
    context.logger.warn({ err: error, userId: interaction.user.id }, 'could not answer a quote cancel');
  }
}

/**
 * Confirm on a quote: places the trade with the quote's minimum, keyed by this interaction's id. A second click
 * finds the quote used; a moved price gets a fresh quote instead; anything else replaces the quote with why.
 */
export async function confirmClicked(context: BotContext, interaction: ButtonInteraction, key: string) {
  // The trade waits on the database (up to its 5 s busy timeout behind another writer); Discord drops an
  // interaction not acknowledged within 3 s, and the member would see "interaction failed" for a trade that
  // went through. So acknowledge first; every answer below edits the quote or follows up.
  try {
    await interaction.deferUpdate();
  } catch (error) {
    context.logger.warn({ err: error, userId: interaction.user.id }, 'could not acknowledge a confirm');
    return;
  }
  const claim = context.pendingQuotes.claim(key, interaction.user.id);
  if (claim.status !== 'claimed') {
    // A quote is held in memory only: after a restart (or once evicted) it is unknown, not used, and the
    // member must not read that their trade went through.
    const why =
      claim.status === 'expired'
        ? '⌛ This quote expired, so nothing was traded. Click Bet again for a fresh one.'
        : claim.status === 'unknown'
          ? '⌛ This quote is no longer held (the bot may have restarted), so nothing was traded. Click Bet or Sell again for a fresh one.'
          : '☑️ This quote was already used; nothing more was traded.';
    await answer(context, interaction, claim.status === 'used' ? 'reply' : 'update', {
      content: why,
      components: [],
    });
    return;
  }
  const invocation = interactionInvocation(interaction);
  try {
    countRequest(context, interaction);
  } catch (error) {
    context.pendingQuotes.release(key);
    const log = { userId: interaction.user.id, component: interaction.customId };
    const text = errorReply(error, { logger: context.logger, log }).content ?? '⚠️ Nothing was traded.';
    await answer(context, interaction, 'reply', { content: text, components: [] });
    return;
  }
  const { trade } = claim;
  try {
    const result =
      trade.kind === 'buy'
        ? await context.markets.buy(invocation.actor, requestOf(invocation), trade)
        : await context.markets.sell(invocation.actor, requestOf(invocation), trade);
    context.pendingQuotes.finish(key, interaction.user.id);
    const market = await context.markets.get(guildOf(invocation), trade.marketId);
    await answer(context, interaction, 'update', { content: tradeDoneText(market, result), components: [] });
    context.marketBoard?.touch(trade.marketId);
  } catch (error) {
    context.pendingQuotes.finish(key, interaction.user.id);
    if (error instanceof PriceMovedError) {
      await requote(context, interaction, trade);
      return;
    }
    const text = isCoachwireError(error)
      ? errorReply(error, { logger: context.logger, log: { userId: interaction.user.id } }).content
      : errorReply(error, { logger: context.logger }).content;
    await answer(context, interaction, 'update', {
      content: text ?? '⚠️ Nothing was traded.',
      components: [],
    });
  }
}

async function requote(
  context: BotContext,
  interaction: ButtonInteraction,
  trade: QuotedTrade,
): Promise<void> {
  try {
    const market = await tradableMarket(context, interaction, trade.marketId);
    const headline = `🔄 The price moved, so nothing was traded. Fresh quote · market #${market.id}`;
    if (trade.kind === 'buy') {
      const quote = await context.markets.quoteBuy(
        market.guildId,
        trade.marketId,
        trade.option,
        trade.points,
      );
      const fresh = { ...trade, minShares: quote.shares };
      const { key, expiresAt } = context.pendingQuotes.add(interaction.user.id, fresh);
      await answer(
        context,
        interaction,
        'update',
        quoteMessage(market, buyQuoteText(market, quote), key, expiresAt, headline),
      );
    } else {
      const quote = await context.markets.quoteSell(
        market.guildId,
        trade.marketId,
        trade.option,
        trade.shares,
      );
      const fresh = { ...trade, minPoints: quote.points };
      const { key, expiresAt } = context.pendingQuotes.add(interaction.user.id, fresh);
      await answer(
        context,
        interaction,
        'update',
        quoteMessage(market, sellQuoteText(market, quote), key, expiresAt, headline),
      );
    }
  } catch (error) {
    const text = errorReply(error, { logger: context.logger }).content ?? '⚠️ Nothing was traded.';
    await answer(context, interaction, 'update', { content: text, components: [] });
  }
}

async function answer(
  context: BotContext,
  interaction: ButtonInteraction,
  how: 'update' | 'reply',
  body: { content: string; components: ReturnType<typeof quoteMessage>['components'] },
): Promise<void> {
  try {
    // Called after deferUpdate: 'update' edits the quote, 'reply' follows up privately.
    if (how === 'update') await interaction.editReply(body);
    else await interaction.followUp({ content: body.content, flags: MessageFlags.Ephemeral });
  } catch (error) {
    context.logger.warn({ err: error, userId: interaction.user.id }, 'could not answer a quote button');
  }
}
