import type { Message, PartialMessage } from 'discord.js';
import type { IncomingMessage } from '../prefix/incoming-message.js';
import type { BotReply } from '../util/bot-reply.js';
import { notesContent, replyBody } from '../util/bot-reply.js';
import {
  chartFromAttachment,
  displayName,
  hasAdminPermission,
  memberRoleIds,
} from '../util/discord-actor.js';
import { textFromDiscord } from '../util/incoming-text.js';
import type { BotRuntime } from './bot-event.js';

/** A discord.js message as the prefix handlers read it. */
export function toIncomingMessage(message: Message): IncomingMessage {
  const channel = message.channel;
  return {
    messageId: message.id,
    content: textFromDiscord(message.content),
    authorId: message.author.id,
    authorName: displayName(message.author, message.member),
    authorIsBot: message.author.bot || message.webhookId !== null,
    guildId: message.guildId,
    channelId: message.channelId,
    channelName: 'name' in channel ? textFromDiscord(channel.name) : null,
    roleIds: memberRoleIds(message.member),
    hasAdminPermission: hasAdminPermission(message.member?.permissions),
    attachments: [...message.attachments.values()].map(chartFromAttachment),
  };
}

/** Full message data for an update event; partial ones are fetched. Null when it cannot be read. */
export async function completeMessage(message: Message | PartialMessage): Promise<Message | null> {
  if (!message.partial) return message;
  try {
    return await message.fetch();
  } catch {
    return null;
  }
}

/** Sends a prefix command's reply as a reply to the message (without pinging its author). */
export async function replyToMessage(runtime: BotRuntime, message: Message, reply: BotReply): Promise<void> {
  try {
    await message.reply({ ...replyBody(reply), allowedMentions: { repliedUser: false, parse: [] } });
    runtime.context.logger.info({ userId: message.author.id, messageId: message.id }, 'reply sent');
    const notes = (await reply.later) ?? [];
    if (notes.length > 0) {
      await message.reply({
        content: notesContent(notes),
        allowedMentions: { repliedUser: false, parse: [] },
      });
      runtime.context.logger.info({ messageId: message.id, notes: notes.length }, 'follow-up notes sent');
    }
  } catch (error) {
    runtime.context.logger.error({ err: error, messageId: message.id }, 'could not send the reply');
  }
}
