import { renderHelp } from '@coachwire/core';
import type { BotContext } from '../context.js';
import { type BotReply, viewReply } from '../util/bot-reply.js';

/** Every command's usage and the configured coaches. */
export function help(context: BotContext): BotReply {
  return viewReply(renderHelp(context.prefix, context.service.coaches));
}
