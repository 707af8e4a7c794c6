import type { ReplyView } from '@coachwire/core';
import { type APIEmbed, EmbedBuilder } from 'discord.js';

/** What a command answers, independent of whether it goes out as a message reply or an interaction response. */
export interface BotReply {
  readonly content?: string;
  readonly views: readonly ReplyView[];
  /** Embeds built by the bot itself (a market's live embed), after the views'. */
  readonly embeds?: readonly APIEmbed[];
  /** Only the invoking user sees it (interactions only; a prefix reply is always public). */
  readonly ephemeral: boolean;
  /** Notes that arrive after the reply (chart archiving); sent as a follow-up when non-empty. */
  readonly later?: Promise<readonly string[]>;
}

/** Discord shows at most this many embeds per message. */
const MAX_EMBEDS = 10;
/** Embeds sharing one `url` are shown by Discord as a gallery of up to four images. */
const GALLERY_SIZE = 4;

/** A reply with one view and optional notes (e.g. ignored attachments) under it. */
export function viewReply(view: ReplyView, notes: readonly string[] = [], ephemeral = false): BotReply {
  return notes.length > 0
    ? { content: notes.join('\n'), views: [view], ephemeral }
    : { views: [view], ephemeral };
}

/** A text-only reply. */
export function textReply(content: string, ephemeral = false): BotReply {
  return { content, views: [], ephemeral };
}

/**
 * Turns a view into embeds: the first chart is the embed's image, the next three ride along as image-only
 * embeds sharing the same `url` (Discord groups them into one gallery), and any further ones are listed as links.
 */
export function viewToEmbeds(view: ReplyView): EmbedBuilder[] {
  const embed = new EmbedBuilder().setTitle(view.title).setColor(view.color);
  if (view.description !== '') embed.setDescription(view.description);
  if (view.fields.length > 0) {
    embed.addFields(view.fields.slice(0, 25).map((field) => ({ ...field, inline: field.inline ?? false })));
  }
  if (view.footer) embed.setFooter({ text: view.footer });
  if (view.timestamp) embed.setTimestamp(new Date(view.timestamp));
  const [first, ...others] = view.imageUrls;
  if (first === undefined) return [embed];
  embed.setImage(first).setURL(first);
  const gallery = others
    .slice(0, GALLERY_SIZE - 1)
    .map((url) => new EmbedBuilder().setURL(first).setImage(url));
  const listed = others.slice(GALLERY_SIZE - 1);
  if (listed.length > 0 && view.fields.length < 25) {
    embed.addFields({
      name: 'More charts',
      value: listed
        .map((url, index) => `[chart ${GALLERY_SIZE + index + 1}](${url})`)
        .join('\n')
        .slice(0, 1024),
    });
  }
  return [embed, ...gallery];
}

/** The message body of a reply: content plus the embeds of every view, within Discord's limits. */
export function replyBody(reply: BotReply): { content?: string; embeds: (EmbedBuilder | APIEmbed)[] } {
  const embeds = [...reply.views.flatMap(viewToEmbeds), ...(reply.embeds ?? [])].slice(0, MAX_EMBEDS);
  return reply.content === undefined ? { embeds } : { content: reply.content, embeds };
}
