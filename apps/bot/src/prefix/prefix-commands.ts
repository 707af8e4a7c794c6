import { splitPrefixCommand, ValidationError } from '@coachwire/core';
import { type BotCommand, type PrefixForm, prefixUsage } from '../commands/bot-command.js';
import { enforcePreconditions, mayRunHere } from '../commands/preconditions.js';
import { findPrefixCommand } from '../commands/registry.js';
import type { BotContext } from '../context.js';
import type { BotReply } from '../util/bot-reply.js';
import { errorReply } from '../util/error-reply.js';
import { type IncomingMessage, messageInvocation } from './incoming-message.js';

/** A message that names one of the commands: the command, its prefix form and the text after its name. */
export interface PrefixCall {
  readonly command: BotCommand;
  readonly form: PrefixForm<unknown>;
  readonly rest: string;
}

/** The command a message names, or null when it is not one of ours (other bots' commands, chat). */
export function findPrefixCall(
  content: string,
  commands: readonly BotCommand[],
  prefix: string,
): PrefixCall | null {
  const typed = splitPrefixCommand(content, prefix);
  if (!typed) return null;
  const command = findPrefixCommand(commands, typed.name);
  if (!command?.prefix) return null;
  return { command, form: command.prefix, rest: typed.rest };
}

/** Reads a call's arguments with its form's grammar; a VALIDATION error carries the usage line in `details.usage`. */
export function readPrefixArgs(
  call: PrefixCall,
  options: { readonly prefix: string; readonly coachIds: readonly string[] },
): unknown {
  try {
    return call.form.parse(call.rest, { coachIds: options.coachIds });
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new ValidationError(error.message, error.field, {
      usage: prefixUsage(call.form, options.prefix),
      command: call.form.name,
    });
  }
}

/**
 * Answers a prefix command (`!plan d: ...`). Resolves to null for messages that are not ours (other bots,
 * other prefixes, unlisted channels); otherwise always to a reply, an error reply included. Never rejects.
 */
export async function handlePrefixMessage(
  context: BotContext,
  message: IncomingMessage,
): Promise<BotReply | null> {
  if (message.authorIsBot) return null;
  const call = findPrefixCall(message.content, context.commands, context.prefix);
  if (!call || !mayRunHere(call.command, context, message.guildId, message.channelId)) return null;
  const log = {
    userId: message.authorId,
    guildId: message.guildId,
    channelId: message.channelId,
    messageId: message.messageId,
  };
  try {
    const args = readPrefixArgs(call, {
      prefix: context.prefix,
      coachIds: context.service.coaches.map((coach) => coach.id),
    });
    context.logger.info({ ...log, command: call.form.name, source: 'prefix' }, 'command received');
    const invocation = messageInvocation(message);
    context.memberNames.seen(invocation.guildId, invocation.actor);
    enforcePreconditions(call.command, context, invocation);
    return await call.command.execute(context, invocation, args);
  } catch (error) {
    const usage = prefixUsage(call.form, context.prefix);
    return errorReply(error, { usage, logger: context.logger, log: { ...log, command: call.form.name } });
  }
}
