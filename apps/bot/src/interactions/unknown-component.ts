import { type MessageComponentInteraction, MessageFlags, type ModalSubmitInteraction } from 'discord.js';
import type { BotContext } from '../context.js';

/**
 * A button or form this version does not know (one on a message an older version posted): Discord shows
 * "This interaction failed" for a click left unanswered, so it gets a private word instead.
 */
export async function answerUnknownComponent(
  context: BotContext,
  interaction: MessageComponentInteraction | ModalSubmitInteraction,
): Promise<void> {
  context.logger.warn({ customId: interaction.customId }, 'unknown button or form');
  const what = interaction.isModalSubmit() ? 'form' : 'button';
  try {
    await interaction.reply({
      content: `⚠️ This ${what} is from an older version of the bot and does nothing now. \`${context.prefix}help\` lists what you can do.`,
      flags: MessageFlags.Ephemeral,
    });
  } catch (error) {
    context.logger.warn(
      { err: error, customId: interaction.customId },
      'could not answer an unknown component',
    );
  }
}
