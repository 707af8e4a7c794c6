import { clipText, DISCORD_LIMITS, fitReplyView, linesWithin, type ReplyView } from '@coachwire/core';
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
export function viewToEmbeds(whole: ReplyView, budget: number = DISCORD_LIMITS.embedTotal): EmbedBuilder[] {
  const [first, ...others] = whole.imageUrls;
  const listed = others.slice(GALLERY_SIZE - 1);
  const moreCharts =
    listed.length > 0 && whole.fields.length < DISCORD_LIMITS.embedFields
      ? {
          name: 'More charts',
          value: linesWithin(
            listed.map((url, index) => `[chart ${GALLERY_SIZE + index + 1}](${url})`),
            DISCORD_LIMITS.fieldValue,
          ),
        }
      : null;
  // The chart links are kept whole; the view's own texts share what is left.
  const room = moreCharts ? moreCharts.name.length + moreCharts.value.length : 0;
  const view = fitReplyView(whole, budget - room);
  const embed = new EmbedBuilder().setTitle(view.title).setColor(view.color);
  if (view.description !== '') embed.setDescription(view.description);
  if (view.fields.length > 0) {
    embed.addFields(view.fields.map((field) => ({ ...field, inline: field.inline ?? false })));
  }
  if (view.footer) embed.setFooter({ text: view.footer });
  if (view.timestamp) embed.setTimestamp(new Date(view.timestamp));
  if (first === undefined) return [embed];
  embed.setImage(first).setURL(first);
  const gallery = others
    .slice(0, GALLERY_SIZE - 1)
    .map((url) => new EmbedBuilder().setURL(first).setImage(url));
  if (moreCharts) embed.addFields(moreCharts);
  return [embed, ...gallery];
}

/** The notes that follow a reply, as one message: whole notes while they fit, then how many more. */
export function notesContent(notes: readonly string[]): string {
  return linesWithin(notes, DISCORD_LIMITS.content);
}

/** The message body of a reply: content plus the embeds of every view, within Discord's limits. */
export function replyBody(reply: BotReply): { content?: string; embeds: (EmbedBuilder | APIEmbed)[] } {
  // The 6000 characters are for all the message's embeds: the bot's own first, the views share the rest.
  const own = (reply.embeds ?? []).reduce((sum, embed) => sum + embedLength(embed), 0);
  const share = Math.floor((DISCORD_LIMITS.embedTotal - own) / Math.max(1, reply.views.length));
  const embeds = [...reply.views.flatMap((view) => viewToEmbeds(view, share)), ...(reply.embeds ?? [])].slice(
    0,
    MAX_EMBEDS,
  );
  return reply.content === undefined
    ? { embeds }
    : { content: clipText(reply.content, DISCORD_LIMITS.content), embeds };
}

/** The characters of an embed that count toward Discord's 6000. */
function embedLength(embed: APIEmbed): number {
  const fields = (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0);
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    fields
  );
}
