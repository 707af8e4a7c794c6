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
    const { coach: coachInput, text, tradingDate } = args as PostArgs;
    const source = await context.service.findBySourceMessage(message.messageId);
    if (source === null) return null;
    // The edit replaces the text of the plan this message posted; it cannot move that plan to another coach
    // (only the text was read, so `!plan s: …` rewrote coach D's plan and a coach that does not exist passed).
    const coach = context.service.resolveCoach(coachInput);
    if (coach.id !== source.coach) {
      const from = context.service.coachName(source.coach);
      return textReply(
        `⚠️ This message posted ${from}'s plan for ${source.tradingDate} (#${source.id}); an edit cannot move it to ${coach.name}, so the plan was not changed. Edit it back to \`${context.prefix}plan ${source.coach}: …\`, or post ${coach.name}'s plan in a new message.\nUsage: \`${planUsage}\``,
      );
    }
    if (tradingDate !== undefined && tradingDate !== source.tradingDate) {
      return textReply(
        `⚠️ This message posted the plan for ${source.tradingDate} (#${source.id}); an edit cannot move it to ${tradingDate}, so the plan was not changed. Post the plan for ${tradingDate} in a new message.\nUsage: \`${planUsage}\``,
      );
    }
    const plan = await context.service.editFromSourceMessage(messageActor(message), message.messageId, text);
    if (plan === null) return null;
    context.logger.info({ ...log, planId: plan.id }, 'plan updated from an edited message');
    const later = notifyPlanSaved(context, plan);
    await showPlanEdit(context, plan);
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
