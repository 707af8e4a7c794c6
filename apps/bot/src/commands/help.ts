import { renderHelp } from '@coachwire/core';
import type { BotContext } from '../context.js';
import { type BotReply, viewReply } from '../util/bot-reply.js';
import { defineCommand, prefixUsage, slashPath } from './bot-command.js';

/** Every command's usage, read from the same list the routers use, and the configured coaches. */
export function help(context: BotContext): BotReply {
  const prefixUsages = context.commands.flatMap((command) =>
    command.prefix ? [prefixUsage(command.prefix, context.prefix)] : [],
  );
  const slashCommands = context.commands.flatMap((command) =>
    command.slash ? [slashPath(command.slash)] : [],
  );
  return viewReply(renderHelp({ prefixUsages, slashCommands }, context.service.coaches));
}

/** `!help`: what every command looks like (anything after the name is ignored). */
export const helpCommand = defineCommand<Record<string, never>>({
  preconditions: ['listening-here', 'rate-limited'],
  prefix: { name: 'help', usage: '{p}help', parse: () => ({}) },
  execute: async (context) => help(context),
});
