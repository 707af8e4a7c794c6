import { commandUsage, ValidationError } from '@coachwire/core';
import type { ModalSubmitInteraction } from 'discord.js';
import { POST_MODAL_PREFIX, POST_MODAL_TEXT_ID, postPlan, postSubcommand } from '../commands/post.js';
import type { BotContext } from '../context.js';
import { errorReply } from '../util/error-reply.js';
import { textFromDiscord } from '../util/incoming-text.js';
import { interactionInvocation, sendReply } from './slash-command.js';

/** Answers the submit of the `/plan post` form: posts the plan with the text typed into it. */
export async function handleModalSubmit(
  context: BotContext,
  interaction: ModalSubmitInteraction,
): Promise<void> {
  const log = {
    userId: interaction.user.id,
    guildId: interaction.guildId,
    command: 'plan post (form)',
    source: 'modal',
  };
  if (!interaction.customId.startsWith(POST_MODAL_PREFIX)) return;
  context.logger.info(log, 'command received');
  let deferred = false;
  try {
    const pending = context.pendingPosts.take(
      interaction.customId.slice(POST_MODAL_PREFIX.length),
      interaction.user.id,
    );
    if (!pending)
      throw new ValidationError('This form has expired or was already sent. Run /plan post again.', 'form');
    const text = textFromDiscord(interaction.fields.getTextInputValue(POST_MODAL_TEXT_ID));
    await interaction.deferReply();
    deferred = true;
    const reply = await postPlan(context, interactionInvocation(interaction), {
      coach: pending.coach,
      text,
      tradingDate: pending.tradingDate,
      charts: pending.charts,
    });
    await sendReply(context, interaction, reply, true);
  } catch (error) {
    const usage = `${postSubcommand.usage}; prefix form: ${commandUsage('plan', context.prefix)}`;
    await sendReply(
      context,
      interaction,
      errorReply(error, { usage, logger: context.logger, log }),
      deferred,
    );
  }
}
