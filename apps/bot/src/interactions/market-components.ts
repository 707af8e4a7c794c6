import type { ButtonInteraction, ModalSubmitInteraction } from 'discord.js';
import { CREATE_MODAL } from '../commands/markets/create.js';
import type { BotContext } from '../context.js';
import { BET_BUTTON, SELL_BUTTON } from '../markets/market-message.js';
import { CONFIRM_BUTTON, DROP_BUTTON } from '../markets/trade-quotes.js';
import { createSubmitted } from './market-create-form.js';
import {
  AMOUNT_MODAL,
  amountSubmitted,
  betClicked,
  confirmClicked,
  dropClicked,
  SELL_MODAL,
  SELL_OPTION_BUTTON,
  sellAmountSubmitted,
  sellClicked,
  sellOptionClicked,
} from './market-trading.js';
import { answerUnknownComponent } from './unknown-component.js';

/** Every market component id starts with this. */
export const MARKET_COMPONENT_PREFIX = 'mkt:';

/** Routes a click on a market message or a quote to its flow. */
export async function handleMarketButton(context: BotContext, interaction: ButtonInteraction): Promise<void> {
  const id = interaction.customId;
  if (id.startsWith(BET_BUTTON)) return betClicked(context, interaction, id);
  if (id.startsWith(SELL_OPTION_BUTTON)) return sellOptionClicked(context, interaction, id);
  if (id.startsWith(SELL_BUTTON)) return sellClicked(context, interaction, id);
  if (id.startsWith(CONFIRM_BUTTON))
    return confirmClicked(context, interaction, id.slice(CONFIRM_BUTTON.length));
  if (id.startsWith(DROP_BUTTON)) return dropClicked(context, interaction, id.slice(DROP_BUTTON.length));
  return answerUnknownComponent(context, interaction);
}

/** Routes a submitted market form (create, bet amount, sell amount). */
export async function handleMarketModal(
  context: BotContext,
  interaction: ModalSubmitInteraction,
): Promise<void> {
  const id = interaction.customId;
  if (id.startsWith(CREATE_MODAL)) return createSubmitted(context, interaction, id);
  if (id.startsWith(AMOUNT_MODAL)) return amountSubmitted(context, interaction, id);
  if (id.startsWith(SELL_MODAL)) return sellAmountSubmitted(context, interaction, id);
  return answerUnknownComponent(context, interaction);
}
