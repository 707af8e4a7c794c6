import { mechanismFor, parseOptionLines, refuseSettingsOfAnotherMechanism } from '@coachwire/core';
import { MessageFlags, type ModalSubmitInteraction } from 'discord.js';
import { CREATE_MODAL, CREATE_USAGE } from '../commands/markets/create.js';
import { requestOf } from '../commands/markets/market-request.js';
import type { BotContext } from '../context.js';
import { textReply } from '../util/bot-reply.js';
import { errorReply } from '../util/error-reply.js';
import { textFromDiscord } from '../util/incoming-text.js';
import { interactionInvocation, sendReply } from './slash-command.js';

/** The create form's submit: opens the market, posts its message in the channel and tells the creator where. */
export async function createSubmitted(
  context: BotContext,
  interaction: ModalSubmitInteraction,
  customId: string,
) {
  const [closesMs, mechanism, subsidy, probability] = customId.slice(CREATE_MODAL.length).split(':');
  let deferred = false;
  try {
    const invocation = interactionInvocation(interaction);
    const options = parseOptionLines(textFromDiscord(interaction.fields.getTextInputValue('options')));
    const settings = {
      ...(subsidy && subsidy !== '-' ? { subsidy: Number(subsidy) } : {}),
      ...(probability && probability !== '-' ? { initialProbability: Number(probability) } : {}),
    };
    const chosen = mechanismFor(mechanism === 'pool' ? 'pool' : 'amm', options?.length ?? 2);
    // Three or more options make an AMM market lmsr, which starts even: a probability given would be dropped.
    refuseSettingsOfAnotherMechanism(chosen, settings);
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    deferred = true;
    const market = await context.markets.create(invocation.actor, requestOf(invocation), {
      question: textFromDiscord(interaction.fields.getTextInputValue('question')) ?? '',
      description: textFromDiscord(interaction.fields.getTextInputValue('description')),
      options,
      mechanism: chosen,
      closesAt: new Date(Number(closesMs)).toISOString(),
      ...settings,
    });
    const link = context.marketBoard
      ? await context.marketBoard.post(market.guildId, interaction.channelId ?? '', market.id)
      : null;
    const where = link ? ` ${link}` : '';
    await sendReply(
      context,
      interaction,
      textReply(`✅ Market #${market.id} is open:${where}`, true),
      'deferred',
    );
  } catch (error) {
    const log = {
      userId: interaction.user.id,
      guildId: interaction.guildId,
      command: 'market create (form)',
    };
    await sendReply(
      context,
      interaction,
      errorReply(error, { usage: CREATE_USAGE, logger: context.logger, log }),
      deferred ? 'deferred' : 'not-yet',
    );
  }
}
