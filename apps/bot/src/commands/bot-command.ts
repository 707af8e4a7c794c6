import type { ModalBuilder, SlashCommandSubcommandBuilder } from 'discord.js';
import type { BotContext } from '../context.js';
import type { BotReply } from '../util/bot-reply.js';
import type { Invocation } from './invocation.js';
import type { SlashOptions } from './slash-options.js';

/** The plans' top-level slash command (the default group of a slash form). */
export const PLAN_COMMAND_NAME = 'plan';

/**
 * The top-level slash commands and the description Discord shows for each. A slash form names the one it
 * belongs to; forms of one group become its subcommands, and a form without a subcommand name is the
 * top-level command itself (`/portfolio`).
 */
export const SLASH_GROUPS = {
  plan: "Coaches' daily trading plans",
  market: 'Prediction markets on play-money points',
  points: 'Play-money points: balance, daily claim, leaderboard',
  portfolio: 'Open positions and what they are worth',
  coach: 'How the crowd rated the coaches’ calls',
} as const;
export type SlashGroup = keyof typeof SLASH_GROUPS;

/**
 * What must hold before a command runs; checked once, centrally, by the prefix and slash routers (preconditions.ts).
 * - `listening-here`: the guild and channel are among those configured (elsewhere a prefix command is ignored
 *   and a slash command gets a private note);
 * - `rate-limited`: the command counts against the per-user and per-guild limits (admins are never counted);
 * - `admins-only`: only a configured admin (or a member with Manage Messages) may run it.
 */
export type Precondition = 'listening-here' | 'rate-limited' | 'admins-only';

/** What a prefix command's grammar may read besides the text after its name. */
export interface PrefixParseInput {
  /** Configured coach ids; a numeric token naming one is a coach, not a plan id. */
  readonly coachIds: readonly string[];
}

/** The `!name ...` form of a command. */
export interface PrefixForm<Args> {
  /** The name typed after the prefix, lower case. */
  readonly name: string;
  /** Other names that run the same command. */
  readonly aliases?: readonly string[];
  /** Shown with every error and in `!help`; `{p}` stands for the configured prefix. */
  readonly usage: string;
  /** Reads the text after the name with core's grammar helpers; throws VALIDATION when malformed. */
  parse(rest: string, input: PrefixParseInput): Args;
}

/** The `/<group> <name>` (or `/<group>`) form of a command. */
export interface SlashForm<Args> {
  /** The top-level command it belongs to; default `plan`. */
  readonly group?: SlashGroup;
  /** The subcommand name under the group; omitted when the form is the whole top-level command. */
  readonly name?: string;
  readonly description: string;
  /** Shown with every error of this form. */
  readonly usage: string;
  /** The reply (and the deferred "thinking" state) is seen by the invoking user only. */
  readonly ephemeral: boolean;
  /** Adds the subcommand's options. */
  build(builder: SlashCommandSubcommandBuilder): SlashCommandSubcommandBuilder;
  /** Reads the options into arguments (after the reply is deferred); throws VALIDATION when they do not fit. */
  read(options: SlashOptions): Args;
  /** A form to show instead of running now (e.g. `/plan post` without text); checked before deferring. */
  modal?(context: BotContext, invocation: Invocation, options: SlashOptions): ModalBuilder | null;
}

/**
 * One bot command: its forms, its preconditions and one `execute` serving every form, in the spirit of the
 * discord.js template's `{ data, execute }`. A command is one file exporting `defineCommand({...})`, listed in
 * `registry.ts`; the slash registration, the prefix router, `!help` and deploy-commands all read that list.
 */
export interface CommandDefinition<Args> {
  readonly preconditions: readonly Precondition[];
  readonly prefix?: PrefixForm<Args>;
  readonly slash?: SlashForm<Args>;
  execute(context: BotContext, invocation: Invocation, args: Args): Promise<BotReply>;
}

/** A command whose argument type is known only to its own file; the routers pass arguments through unread. */
export type BotCommand = CommandDefinition<unknown>;

/** Declares a command with its arguments checked between its forms and its `execute`. */
export function defineCommand<Args>(definition: CommandDefinition<Args>): BotCommand {
  // Sound: the routers hand `execute` only what this same definition's `parse` or `read` returned.
  return definition as unknown as BotCommand;
}

/** The group a slash form belongs to. */
export function slashGroupOf(form: Pick<SlashForm<unknown>, 'group'>): SlashGroup {
  return form.group ?? PLAN_COMMAND_NAME;
}

/** What a user types to run a slash form, e.g. `/market create` or `/portfolio`. */
export function slashPath(form: Pick<SlashForm<unknown>, 'group' | 'name'>): string {
  const group = slashGroupOf(form);
  return form.name === undefined ? `/${group}` : `/${group} ${form.name}`;
}

/** A prefix form's usage line with the configured prefix. */
export function prefixUsage(form: Pick<PrefixForm<unknown>, 'usage'>, prefix: string): string {
  return form.usage.replaceAll('{p}', prefix);
}
