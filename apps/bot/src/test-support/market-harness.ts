import type { Clock } from '@coachwire/core';
import type { EmulatedUser, Json } from '@coachwire/discord-emulator';
import {
  type BotHarness,
  type InteractionExchange,
  type ReplyBody,
  waitForInteractionReply,
} from './bot-harness.js';

/** A clock the test moves by hand (closes markets "on time" without waiting). */
export class ManualClock implements Clock {
  constructor(private at: number = Date.now()) {}
  now(): number {
    return this.at;
  }
  /** Moves time forward. */
  advance(ms: number): void {
    this.at += ms;
  }
}

/** Runs `/<group> [subcommand]` as `user` and resolves with the bot's final answer. */
export async function runSlash(
  h: BotHarness,
  user: EmulatedUser,
  group: string,
  subcommand: string | null,
  options: Json[] = [],
): Promise<InteractionExchange> {
  const { interactionId, token } = await h.emu.invokeSlashCommand({
    guildId: h.guild.id,
    channelId: h.channel.id,
    userId: user.id,
    commandName: group,
    options: subcommand === null ? options : [{ type: 1, name: subcommand, options }],
  });
  const reply = await waitForInteractionReply(h.emu, token);
  return { interactionId, token, reply, body: reply.body as ReplyBody };
}

/** Clicks a button of a message as `user` and resolves with the bot's final answer to the click. */
export async function click(
  h: BotHarness,
  user: EmulatedUser,
  messageId: string,
  customId: string,
): Promise<InteractionExchange> {
  const { interactionId, token } = await h.emu.clickButton({
    guildId: h.guild.id,
    channelId: h.channel.id,
    userId: user.id,
    messageId,
    customId,
  });
  const reply = await waitForInteractionReply(h.emu, token);
  return { interactionId, token, reply, body: reply.body as ReplyBody };
}

/** Submits a modal as `user` and resolves with the bot's final answer. */
export async function submit(
  h: BotHarness,
  user: EmulatedUser,
  customId: string,
  fields: Record<string, string>,
): Promise<InteractionExchange> {
  const { interactionId, token } = await h.emu.submitModal({
    guildId: h.guild.id,
    channelId: h.channel.id,
    userId: user.id,
    customId,
    fields,
  });
  const reply = await waitForInteractionReply(h.emu, token);
  return { interactionId, token, reply, body: reply.body as ReplyBody };
}

/** A user option of a slash command. */
export function userOption(name: string, user: EmulatedUser): Json {
  return { type: 6, name, value: user.id };
}

/** An integer option of a slash command. */
export function integerOption(name: string, value: number): Json {
  return { type: 4, name, value };
}

/** The market messages the bot posted in the harness channel (an embed titled `#<id> · ...`), by market id. */
export function marketMessage(h: BotHarness, marketId: number): Json {
  const found = h.emu
    .messagesIn(h.channel.id)
    .find((message) =>
      ((message.embeds as { title?: string }[] | undefined) ?? []).some((embed) =>
        embed.title?.startsWith(`#${marketId} · `),
      ),
    );
  if (!found) throw new Error(`No message shows market #${marketId}.`);
  return found;
}

/** The custom ids and disabled flags of a message's buttons, row by row flattened. */
export function buttonsOf(message: Json): { custom_id: string; label: string; disabled?: boolean }[] {
  const rows =
    (message.components as { components: { custom_id: string; label: string; disabled?: boolean }[] }[]) ??
    [];
  return rows.flatMap((row) => row.components);
}

/** The message an interaction's first answer created (a reply callback), e.g. a private quote. */
export function answeredMessageId(h: BotHarness, interactionId: string): string {
  const id = h.emu.interactionResponses(interactionId).find((response) => response.messageId)?.messageId;
  if (!id) throw new Error('The interaction has no answer message.');
  return id;
}

/** Creates a market through `/market create` and its form; resolves to its id and message. */
export async function createMarket(
  h: BotHarness,
  user: EmulatedUser,
  form: { question: string; options?: string; description?: string },
  options: Json[] = [{ type: 3, name: 'closes', value: '2h' }],
): Promise<{ marketId: number; message: Json; reply: InteractionExchange }> {
  const opened = await runSlash(h, user, 'market', 'create', options);
  const customId = opened.body.data?.custom_id;
  if (!customId) throw new Error(`No form: ${JSON.stringify(opened.body)}`);
  const reply = await submit(h, user, customId, {
    question: form.question,
    options: form.options ?? '',
    description: form.description ?? '',
  });
  const match = /Market #(\d+) is open/.exec(reply.body.content ?? '');
  if (!match) throw new Error(`Not created: ${JSON.stringify(reply.body)}`);
  const marketId = Number(match[1]);
  return { marketId, message: marketMessage(h, marketId), reply };
}

/** Clicks Bet on an option, types the amount and resolves with the private quote (and its message id). */
export async function quoteBet(
  h: BotHarness,
  user: EmulatedUser,
  marketMessageId: string,
  marketId: number,
  option: number,
  amount: string,
): Promise<{ quote: InteractionExchange; quoteMessageId: string; confirmId: string | undefined }> {
  const clicked = await click(h, user, marketMessageId, `mkt:bet:${marketId}:${option}`);
  const modalId = clicked.body.data?.custom_id;
  if (!modalId) return { quote: clicked, quoteMessageId: '', confirmId: undefined };
  const quote = await submit(h, user, modalId, { amount });
  const buttons =
    (quote.body.data?.components as { components: { custom_id: string }[] }[] | undefined) ?? [];
  const confirmId = buttons
    .flatMap((row) => row.components)
    .find((b) => b.custom_id.startsWith('mkt:confirm:'))?.custom_id;
  const quoteMessageId = confirmId ? answeredMessageId(h, quote.interactionId) : '';
  return { quote, quoteMessageId, confirmId };
}
