import {
  mechanismFor,
  parseOptionLines,
  refuseSettingsOfAnotherMechanism,
  ValidationError,
} from '@coachwire/core';
import { MessageFlags, type ModalSubmitInteraction } from 'discord.js';
import { CREATE_MODAL, CREATE_USAGE } from '../commands/markets/create.js';
import { requestOf } from '../commands/markets/market-request.js';
import type { BotContext } from '../context.js';
import { textReply } from '../util/bot-reply.js';
import { errorReply } from '../util/error-reply.js';
import { textFromDiscord } from '../util/incoming-text.js';
import { interactionInvocation, sendReply } from './slash-command.js';

/**
 * The close time the form's custom id carries (ms since the epoch, as the slash command wrote it). One that is no
 * time at all (a stale or tampered id) is refused as bad input, not failed on as a RangeError.
 */
function closeOfForm(closesMs: string | undefined): string {
  const ms = /^\d{1,15}$/.test(closesMs ?? '') ? Number(closesMs) : Number.NaN;
  const at = new Date(ms);
  if (Number.isNaN(at.getTime()))
    throw new ValidationError('This form has no valid close time; run /market create again.', 'closes');
  return at.toISOString();
}

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
    const closesAt = closeOfForm(closesMs);
    const market = await context.markets.create(invocation.actor, requestOf(invocation), {
      question: textFromDiscord(interaction.fields.getTextInputValue('question')) ?? '',
      description: textFromDiscord(interaction.fields.getTextInputValue('description')),
      options,
      mechanism: chosen,
      closesAt,
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
