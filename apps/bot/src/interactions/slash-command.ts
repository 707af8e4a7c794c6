import {
  type ChatInputCommandInteraction,
  type InteractionReplyOptions,
  type MessageComponentInteraction,
  MessageFlags,
  type ModalSubmitInteraction,
} from 'discord.js';
import { SLASH_GROUPS } from '../commands/bot-command.js';
import type { Invocation } from '../commands/invocation.js';
import { enforcePreconditions, mayRunHere } from '../commands/preconditions.js';
import { findSlashCommand } from '../commands/registry.js';
import { chartsFromOptions, type SlashOptions } from '../commands/slash-options.js';
import type { BotContext } from '../context.js';
import { type BotReply, notesContent, replyBody, textReply } from '../util/bot-reply.js';
import { chartFromAttachment, discordActor } from '../util/discord-actor.js';
import { errorReply } from '../util/error-reply.js';
import { textFromDiscord } from '../util/incoming-text.js';

type RepliableInteraction =
  | ChatInputCommandInteraction
  | ModalSubmitInteraction
  | MessageComponentInteraction;

/** Who and where, for an interaction, with the chart images that came with it. */
export function interactionInvocation(
  interaction: RepliableInteraction,
  charts: Invocation['charts'] = [],
): Invocation {
  const channel = interaction.channel;
  return {
    actor: discordActor(interaction.user, interaction.member, interaction.memberPermissions),
    guildId: interaction.guildId,
    channelId: interaction.channelId,
    channelName: channel && 'name' in channel ? textFromDiscord(channel.name) : null,
    messageId: null,
    requestId: interaction.id,
    charts,
  };
}

function slashOptions(interaction: ChatInputCommandInteraction): SlashOptions {
  return {
    string: (name) => textFromDiscord(interaction.options.getString(name)),
    integer: (name) => interaction.options.getInteger(name),
    number: (name) => interaction.options.getNumber(name),
    user: (name) => {
      const user = interaction.options.getUser(name);
      if (!user) return null;
      const member = interaction.options.getMember(name);
      const nick = member && !('displayName' in member) ? member.nick : null;
      const shown =
        member && 'displayName' in member ? member.displayName : (nick ?? user.globalName ?? user.username);
      return { id: user.id, name: textFromDiscord(shown) };
    },
    attachment: (name) => {
      const attachment = interaction.options.getAttachment(name);
      return attachment ? chartFromAttachment(attachment) : null;
    },
  };
}

/** Answers `/<group> [subcommand]`; every path ends in exactly one reply (or a modal), errors included. */
export async function handleSlashCommand(
  context: BotContext,
  interaction: ChatInputCommandInteraction,
): Promise<void> {
  const group = interaction.commandName;
  const subcommand = interaction.options.getSubcommand(false);
  const command = findSlashCommand(context.commands, group, subcommand);
  const typed = subcommand === null ? group : `${group} ${subcommand}`;
  const log = {
    userId: interaction.user.id,
    guildId: interaction.guildId,
    command: typed,
    source: 'slash',
  };
  context.logger.info(log, 'command received');
  if (!command?.slash) {
    const unknown = textReply(
      `⚠️ Unknown command /${typed}. Try /plan post (Coachwire's commands are ${Object.keys(SLASH_GROUPS)
        .map((name) => `\`/${name}\``)
        .join(
          ', ',
        )}; if this one is left from an older version, an admin can run \`coachwire deploy-commands\`).`,
      true,
    );
    await sendReply(context, interaction, unknown, 'not-yet');
    return;
  }
  if (!mayRunHere(command, context, interaction.guildId, interaction.channelId)) {
    const elsewhere = textReply('⚠️ Coachwire does not take commands in this channel.', true);
    await sendReply(context, interaction, elsewhere, 'not-yet');
    return;
  }
  const slash = command.slash;
  const options = slashOptions(interaction);
  let acknowledged: Acknowledgement = 'not-yet';
  try {
    const invocation = interactionInvocation(interaction, chartsFromOptions(options));
    enforcePreconditions(command, context, invocation);
    const modal = slash.modal?.(context, invocation, options) ?? null;
    if (modal) {
      await interaction.showModal(modal);
      context.logger.info(log, 'form shown');
      return;
    }
    // Acknowledge before touching the database, so a slow write never lets the interaction expire.
    await interaction.deferReply(slash.ephemeral ? { flags: MessageFlags.Ephemeral } : {});
    acknowledged = 'deferred';
    const reply = await command.execute(context, invocation, slash.read(options));
    await sendReply(context, interaction, reply, acknowledged);
  } catch (error) {
    const reply = errorReply(error, { usage: slash.usage, logger: context.logger, log });
    await sendReply(context, interaction, reply, acknowledged);
  }
}

/** Whether an interaction has been answered yet: not at all, or with a deferred "thinking" placeholder. */
export type Acknowledgement = 'not-yet' | 'deferred';

/**
 * Sends a reply to an interaction: replies directly when nothing was sent yet, or replaces the deferred
 * placeholder. A private reply never edits a placeholder (a public one cannot be made private): the placeholder
 * is removed and the reply follows up privately.
 */
export async function sendReply(
  context: BotContext,
  interaction: RepliableInteraction,
  reply: BotReply,
  acknowledged: Acknowledgement,
): Promise<void> {
  const body = replyBody(reply);
  try {
    if (acknowledged === 'not-yet') {
      const options: InteractionReplyOptions = reply.ephemeral
        ? { ...body, flags: MessageFlags.Ephemeral }
        : body;
      await interaction.reply(options);
    } else if (!reply.ephemeral) {
      await interaction.editReply(body);
    } else {
      await interaction.deleteReply();
      await interaction.followUp({ ...body, flags: MessageFlags.Ephemeral });
    }
    context.logger.info({ userId: interaction.user.id, ephemeral: reply.ephemeral }, 'reply sent');
    const notes = (await reply.later) ?? [];
    if (notes.length > 0) {
      await interaction.followUp({ content: notesContent(notes), flags: MessageFlags.Ephemeral });
      context.logger.info({ userId: interaction.user.id, notes: notes.length }, 'follow-up notes sent');
    }
  } catch (error) {
    context.logger.error({ err: error, userId: interaction.user.id }, 'could not send the reply');
  }
}
