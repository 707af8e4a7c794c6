import { renderPlan } from '@coachwire/core';
import { prefixUsage } from '../commands/bot-command.js';
import { notifyPlanSaved } from '../commands/invocation.js';
import { type PostArgs, postCommand } from '../commands/post.js';
import { mayRunHere } from '../commands/preconditions.js';
import type { BotContext } from '../context.js';
import { showPlanEdit } from '../markets/coach-call-markets.js';
import { type BotReply, textReply, viewReply } from '../util/bot-reply.js';
import { errorReply } from '../util/error-reply.js';
import { type IncomingMessage, messageActor } from './incoming-message.js';
import { findPrefixCall, readPrefixArgs } from './prefix-commands.js';

/**
 * Applies an edit of the Discord message a plan was posted from (within the edit window) to the stored plan,
 * recording a revision. Resolves to null when the message is not a plan's source or the window has passed.
 */
export async function handleSourceMessageEdit(
  context: BotContext,
  message: IncomingMessage,
): Promise<BotReply | null> {
  if (message.authorIsBot || !mayRunHere(postCommand, context, message.guildId, message.channelId))
    return null;
  const planUsage = prefixUsage(postCommand.prefix!, context.prefix);
  const log = {
    userId: message.authorId,
    guildId: message.guildId,
    messageId: message.messageId,
    command: 'plan (edited message)',
  };
  try {
    const call = findPrefixCall(message.content, context.commands, context.prefix);
    let args: unknown;
    try {
      if (call)
        args = readPrefixArgs(call, {
          prefix: context.prefix,
          coachIds: context.service.coaches.map((coach) => coach.id),
        });
    } catch (error) {
      // Only answer a malformed edit when the message really is a plan's source; stay quiet otherwise.
      if ((await context.service.findBySourceMessage(message.messageId)) === null) return null;
      throw error;
    }
    if (call?.command !== postCommand) {
      const plan = await context.service.findBySourceMessage(message.messageId);
      if (plan === null) return null;
      return textReply(
        `⚠️ This message is the source of plan #${plan.id}, but it no longer reads as a plan command, so the plan was not changed.\nUsage: \`${planUsage}\``,
      );
    }
    const plan = await context.service.editFromSourceMessage(
      messageActor(message),
      message.messageId,
      (args as PostArgs).text,
    );
    if (plan === null) return null;
    context.logger.info({ ...log, planId: plan.id }, 'plan updated from an edited message');
    const later = notifyPlanSaved(context, plan);
    await showPlanEdit(context, message.guildId, plan);
    const coachName = context.service.coachName(plan.coach);
    return {
      ...viewReply(renderPlan(plan, { name: coachName }), [
        `✏️ Your edit updated ${coachName}'s plan for ${plan.tradingDate} (#${plan.id}).`,
      ]),
      later,
    };
  } catch (error) {
    return errorReply(error, { usage: planUsage, logger: context.logger, log });
  }
}
