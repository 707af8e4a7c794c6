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
