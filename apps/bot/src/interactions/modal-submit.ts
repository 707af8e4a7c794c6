import { ValidationError } from '@coachwire/core';
import type { ModalSubmitInteraction } from 'discord.js';
import { prefixUsage } from '../commands/bot-command.js';
import { POST_MODAL_PREFIX, POST_MODAL_TEXT_ID, postCommand, postPlan } from '../commands/post.js';
import type { BotContext } from '../context.js';
import { errorReply } from '../util/error-reply.js';
import { textFromDiscord } from '../util/incoming-text.js';
import { type Acknowledgement, interactionInvocation, sendReply } from './slash-command.js';
import { answerUnknownComponent } from './unknown-component.js';

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
  if (!interaction.customId.startsWith(POST_MODAL_PREFIX))
    return answerUnknownComponent(context, interaction);
  context.logger.info(log, 'command received');
  let acknowledged: Acknowledgement = 'not-yet';
  try {
    const pending = context.pendingPosts.take(
      interaction.customId.slice(POST_MODAL_PREFIX.length),
      interaction.user.id,
    );
    if (!pending)
      throw new ValidationError('This form has expired or was already sent. Run /plan post again.', 'form');
    const text = textFromDiscord(interaction.fields.getTextInputValue(POST_MODAL_TEXT_ID));
    await interaction.deferReply();
    acknowledged = 'deferred';
    const reply = await postPlan(context, interactionInvocation(interaction, pending.charts), {
      coach: pending.coach,
      text,
      tradingDate: pending.tradingDate,
      charts: pending.charts,
    });
    await sendReply(context, interaction, reply, acknowledged);
  } catch (error) {
    const usage = `${postCommand.slash?.usage}; prefix form: ${postCommand.prefix && prefixUsage(postCommand.prefix, context.prefix)}`;
    await sendReply(
      context,
      interaction,
      errorReply(error, { usage, logger: context.logger, log }),
      acknowledged,
    );
  }
}
