import {
  type ChatInputCommandInteraction,
  type InteractionReplyOptions,
  type MessageComponentInteraction,
  MessageFlags,
  type ModalSubmitInteraction,
} from 'discord.js';
import type { Invocation } from '../commands/invocation.js';
import { findSubcommand } from '../commands/plan-command.js';
import type { SlashOptions } from '../commands/slash-options.js';
import { type BotContext, isListenedTo } from '../context.js';
import { type BotReply, replyBody, textReply } from '../util/bot-reply.js';
import { chartFromAttachment, discordActor } from '../util/discord-actor.js';
import { errorReply } from '../util/error-reply.js';
import { textFromDiscord } from '../util/incoming-text.js';

type RepliableInteraction =
  | ChatInputCommandInteraction
  | ModalSubmitInteraction
  | MessageComponentInteraction;

/** Who and where, for an interaction. */
export function interactionInvocation(interaction: RepliableInteraction): Invocation {
  const channel = interaction.channel;
  return {
    actor: discordActor(interaction.user, interaction.member, interaction.memberPermissions),
    guildId: interaction.guildId,
    channelId: interaction.channelId,
    channelName: channel && 'name' in channel ? textFromDiscord(channel.name) : null,
    messageId: null,
  };
}

function slashOptions(interaction: ChatInputCommandInteraction): SlashOptions {
  return {
    string: (name) => textFromDiscord(interaction.options.getString(name)),
    attachment: (name) => {
      const attachment = interaction.options.getAttachment(name);
      return attachment ? chartFromAttachment(attachment) : null;
    },
  };
}

/** Answers `/plan <subcommand>`; every path ends in exactly one reply (or a modal), errors included. */
export async function handleSlashCommand(
  context: BotContext,
  interaction: ChatInputCommandInteraction,
): Promise<void> {
  const name = interaction.options.getSubcommand(false) ?? '';
  const subcommand = findSubcommand(name);
  const log = {
    userId: interaction.user.id,
    guildId: interaction.guildId,
    command: `plan ${name}`,
    source: 'slash',
  };
  context.logger.info(log, 'command received');
  if (!subcommand) {
    await sendReply(
      context,
      interaction,
      textReply(`⚠️ Unknown command /plan ${name}. Try /plan post.`, true),
      false,
    );
    return;
  }
  if (!isListenedTo(context, interaction.guildId, interaction.channelId)) {
    await sendReply(
      context,
      interaction,
      textReply('⚠️ Coachwire does not take commands in this channel.', true),
      false,
    );
    return;
  }
  const invocation = interactionInvocation(interaction);
  const options = slashOptions(interaction);
  let deferred = false;
  try {
    context.rateLimits.consume(
      invocation.actor.id,
      invocation.guildId,
      context.service.isAdmin(invocation.actor),
    );
    const modal = subcommand.modal?.(context, invocation, options) ?? null;
    if (modal) {
      await interaction.showModal(modal);
      context.logger.info(log, 'form shown');
      return;
    }
    // Acknowledge before touching the database, so a slow write never lets the interaction expire.
    await interaction.deferReply(subcommand.ephemeral ? { flags: MessageFlags.Ephemeral } : {});
    deferred = true;
    const reply = await subcommand.execute(context, invocation, options);
    await sendReply(context, interaction, reply, deferred);
  } catch (error) {
    const reply = errorReply(error, { usage: subcommand.usage, logger: context.logger, log });
    await sendReply(context, interaction, reply, deferred, subcommand.ephemeral);
  }
}

/**
 * Sends a reply to an interaction: edits the deferred response, or replies directly. An ephemeral reply after a
 * public deferral cannot be made private, so the public placeholder is removed and the reply follows up privately.
 */
export async function sendReply(
  context: BotContext,
  interaction: RepliableInteraction,
  reply: BotReply,
  deferred: boolean,
  deferredEphemeral = false,
): Promise<void> {
  const body = replyBody(reply);
  try {
    if (!deferred) {
      const options: InteractionReplyOptions = reply.ephemeral
        ? { ...body, flags: MessageFlags.Ephemeral }
        : body;
      await interaction.reply(options);
    } else if (!reply.ephemeral || deferredEphemeral) {
      await interaction.editReply(body);
    } else {
      await interaction.deleteReply();
      await interaction.followUp({ ...body, flags: MessageFlags.Ephemeral });
    }
    context.logger.info({ userId: interaction.user.id, ephemeral: reply.ephemeral }, 'reply sent');
    const notes = (await reply.later) ?? [];
    if (notes.length > 0) {
      await interaction.followUp({ content: notes.join('\n'), flags: MessageFlags.Ephemeral });
      context.logger.info({ userId: interaction.user.id, notes: notes.length }, 'follow-up notes sent');
    }
  } catch (error) {
    context.logger.error({ err: error, userId: interaction.user.id }, 'could not send the reply');
  }
}
