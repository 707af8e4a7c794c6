import { type CommandName, commandUsage, type ParsedCommand, parsePrefixCommand } from '@coachwire/core';
import { deletePlan } from '../commands/delete.js';
import { editPlan } from '../commands/edit.js';
import { help } from '../commands/help.js';
import { planHistory } from '../commands/history.js';
import type { Invocation } from '../commands/invocation.js';
import { listPlans } from '../commands/list.js';
import { listMyPlans } from '../commands/mine.js';
import { postPlan } from '../commands/post.js';
import { type BotContext, isListenedTo } from '../context.js';
import type { BotReply } from '../util/bot-reply.js';
import { errorReply } from '../util/error-reply.js';
import { type IncomingMessage, messageInvocation } from './incoming-message.js';

/**
 * Answers a prefix command (`!plan d: ...`). Resolves to null for messages that are not ours (other bots,
 * other prefixes, unlisted channels); otherwise always to a reply, an error reply included. Never rejects.
 */
export async function handlePrefixMessage(
  context: BotContext,
  message: IncomingMessage,
): Promise<BotReply | null> {
  if (message.authorIsBot || !isListenedTo(context, message.guildId, message.channelId)) return null;
  const log = {
    userId: message.authorId,
    guildId: message.guildId,
    channelId: message.channelId,
    messageId: message.messageId,
  };
  let commandName: CommandName | undefined;
  try {
    const command = parsePrefixCommand(message.content, {
      prefix: context.prefix,
      coachIds: context.service.coaches.map((coach) => coach.id),
    });
    if (command === null) return null;
    commandName = command.name;
    context.logger.info({ ...log, command: command.name, source: 'prefix' }, 'command received');
    const invocation = messageInvocation(message);
    context.rateLimits.consume(message.authorId, message.guildId, context.service.isAdmin(invocation.actor));
    return await runPrefixCommand(context, invocation, command, message);
  } catch (error) {
    const usage = commandName === undefined ? undefined : commandUsage(commandName, context.prefix);
    return errorReply(error, { usage, logger: context.logger, log: { ...log, command: commandName } });
  }
}

function runPrefixCommand(
  context: BotContext,
  invocation: Invocation,
  command: ParsedCommand,
  message: IncomingMessage,
): Promise<BotReply> {
  switch (command.name) {
    case 'plan':
      return postPlan(context, invocation, {
        coach: command.coach,
        text: command.text,
        charts: message.attachments,
      });
    case 'edit':
      return editPlan(context, invocation, {
        target: command.target,
        text: command.text,
        charts: message.attachments,
      });
    case 'delete':
      return deletePlan(context, invocation, command.target);
    case 'plans':
      return listPlans(context, command.tradingDate);
    case 'myplans':
      return listMyPlans(context, invocation, command.tradingDate);
    case 'history':
      return planHistory(context, command.target);
    case 'help':
      return Promise.resolve(help(context));
  }
}
