import type { ModalBuilder, SlashCommandSubcommandBuilder } from 'discord.js';
import type { BotContext } from '../context.js';
import type { BotReply } from '../util/bot-reply.js';
import type { Invocation } from './invocation.js';
import type { SlashOptions } from './slash-options.js';

/** One `/plan <name>` subcommand: its data (options) and its execute, as in discord.js's bot template. */
export interface PlanSubcommand {
  readonly name: string;
  readonly description: string;
  /** Shown with every error of this subcommand. */
  readonly usage: string;
  /** The reply (and the deferred "thinking" state) is seen by the invoking user only. */
  readonly ephemeral: boolean;
  /** Adds the subcommand's options. */
  build(builder: SlashCommandSubcommandBuilder): SlashCommandSubcommandBuilder;
  /** A form to show instead of running now (e.g. `/plan post` without text); checked before deferring. */
  modal?(context: BotContext, invocation: Invocation, options: SlashOptions): ModalBuilder | null;
  execute(context: BotContext, invocation: Invocation, options: SlashOptions): Promise<BotReply>;
}
