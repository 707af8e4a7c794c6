import { type Interaction, type Message, MessageFlags, type PartialMessage } from 'discord.js';
import { postCommand } from '../commands/post.js';
import { mayRunHere } from '../commands/preconditions.js';
import type { BotContext } from '../context.js';
import { findPrefixCall } from '../prefix/prefix-commands.js';

/**
 * What a member is told about a command that arrives while the bot is stopping: it was not run, so trying it
 * again once the bot is back is safe. Unanswered, a slash command or button shows "The application did not
 * respond" (did the bet go through?) and a prefix command is silently lost.
 */
export const STOPPING_TEXT = '⏳ Coachwire is restarting, so nothing was done. Try again in a minute.';

/** The same for an edit of a plan's message: the plan keeps its text, and Discord will not send the edit again. */
export const STOPPING_EDIT_TEXT =
  '⏳ Coachwire is restarting, so this edit did not change the plan. Edit the message again in a minute.';

/** Answers an interaction that arrived during shutdown, privately; autocomplete needs no answer. */
export async function refuseInteraction(context: BotContext, interaction: Interaction): Promise<void> {
  if (!interaction.isRepliable()) return;
  context.logger.info(
    { userId: interaction.user.id, interactionId: interaction.id },
    'command refused: the bot is stopping',
  );
  try {
    await interaction.reply({ content: STOPPING_TEXT, flags: MessageFlags.Ephemeral });
  } catch (error) {
    context.logger.warn({ err: error, userId: interaction.user.id }, 'could not answer a refused command');
  }
}

/** Answers a prefix command that arrived during shutdown; other messages (chat, other bots') get nothing. */
export async function refuseMessage(context: BotContext, message: Message): Promise<void> {
  const call = findPrefixCall(message.content, context.commands, context.prefix);
  if (!call || !mayRunHere(call.command, context, message.guildId, message.channelId)) return;
  context.logger.info(
    { userId: message.author.id, messageId: message.id },
    'command refused: the bot is stopping',
  );
  try {
    await message.reply({ content: STOPPING_TEXT, allowedMentions: { repliedUser: false, parse: [] } });
  } catch (error) {
    context.logger.warn({ err: error, messageId: message.id }, 'could not answer a refused command');
  }
}

/** Answers an edit of a plan's source message that arrived during shutdown; edits of other messages get nothing. */
export async function refuseEdit(context: BotContext, message: Message | PartialMessage): Promise<void> {
  try {
    if (!mayRunHere(postCommand, context, message.guildId, message.channelId)) return;
    if ((await context.service.findBySourceMessage(message.id)) === null) return;
    context.logger.info({ messageId: message.id }, 'plan edit refused: the bot is stopping');
    await message.reply({ content: STOPPING_EDIT_TEXT, allowedMentions: { repliedUser: false, parse: [] } });
  } catch (error) {
    context.logger.warn({ err: error, messageId: message.id }, 'could not answer a refused edit');
  }
}
