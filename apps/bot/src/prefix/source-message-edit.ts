import { commandUsage, parsePrefixCommand, renderPlan } from '@coachwire/core';
import { notifyPlanSaved } from '../commands/invocation.js';
import { type BotContext, isListenedTo } from '../context.js';
import { type BotReply, viewReply } from '../util/bot-reply.js';
import { errorReply } from '../util/error-reply.js';
import { type IncomingMessage, messageActor } from './incoming-message.js';

/**
 * Applies an edit of the Discord message a plan was posted from (within the edit window) to the stored plan,
 * recording a revision. Resolves to null when the message is not a plan's source or the window has passed.
 */
export async function handleSourceMessageEdit(
  context: BotContext,
  message: IncomingMessage,
): Promise<BotReply | null> {
  if (message.authorIsBot || !isListenedTo(context, message.guildId, message.channelId)) return null;
  const log = {
    userId: message.authorId,
    guildId: message.guildId,
    messageId: message.messageId,
    command: 'plan (edited message)',
  };
  try {
    const command = parsePrefixCommand(message.content, {
      prefix: context.prefix,
      coachIds: context.service.coaches.map((coach) => coach.id),
    });
    if (command?.name !== 'plan') return null;
    const plan = await context.service.editFromSourceMessage(
      messageActor(message),
      message.messageId,
      command.text,
    );
    if (plan === null) return null;
    context.logger.info({ ...log, planId: plan.id }, 'plan updated from an edited message');
    await notifyPlanSaved(context, plan);
    const coachName = context.service.coachName(plan.coach);
    return viewReply(renderPlan(plan, { name: coachName }), [
      `✏️ Your edit updated ${coachName}'s plan for ${plan.tradingDate} (#${plan.id}).`,
    ]);
  } catch (error) {
    return errorReply(error, { usage: commandUsage('plan', context.prefix), logger: context.logger, log });
  }
}
