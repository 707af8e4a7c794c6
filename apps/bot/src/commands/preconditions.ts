import { ForbiddenError } from '@coachwire/core';
import { type BotContext, isListenedTo } from '../context.js';
import type { BotCommand } from './bot-command.js';
import type { Invocation } from './invocation.js';

// The one place command preconditions are checked; both routers call these, in this order.

/**
 * The `listening-here` precondition: true when the command may run in this guild and channel. Checked before
 * any argument is read, so in a channel the bot ignores even a malformed command gets no answer.
 */
export function mayRunHere(
  command: BotCommand,
  context: Pick<BotContext, 'guildIds' | 'channelIds'>,
  guildId: string | null,
  channelId: string | null,
): boolean {
  return !command.preconditions.includes('listening-here') || isListenedTo(context, guildId, channelId);
}

/**
 * The `rate-limited` and `admins-only` preconditions, checked once the command is understood and before it
 * runs. Throws RATE_LIMITED (with the time to wait) or FORBIDDEN; admins are never counted.
 */
export function enforcePreconditions(command: BotCommand, context: BotContext, invocation: Invocation): void {
  const isAdmin = context.service.isAdmin(invocation.actor);
  if (command.preconditions.includes('rate-limited'))
    context.rateLimits.consume(invocation.actor.id, invocation.guildId, isAdmin);
  if (command.preconditions.includes('admins-only') && !isAdmin)
    throw new ForbiddenError('Only an admin can use this command.');
}
