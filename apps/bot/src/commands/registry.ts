import {
  InteractionContextType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  SlashCommandBuilder,
} from 'discord.js';
import { type BotCommand, PLAN_COMMAND_NAME } from './bot-command.js';
import { deleteCommand } from './delete.js';
import { editCommand } from './edit.js';
import { helpCommand } from './help.js';
import { historyCommand } from './history.js';
import { listCommand } from './list.js';
import { mineCommand } from './mine.js';
import { postCommand } from './post.js';
import { showCommand } from './show.js';

export { PLAN_COMMAND_NAME } from './bot-command.js';

/**
 * Every bot command, in the order Discord lists the slash forms and `!help` lists the prefix forms. The slash
 * registration, the prefix and slash routers, `!help` and deploy-commands all read this list; a new command is
 * its own file plus its line here.
 */
export const BOT_COMMANDS: readonly BotCommand[] = [
  postCommand,
  editCommand,
  deleteCommand,
  listCommand,
  mineCommand,
  historyCommand,
  showCommand,
  helpCommand,
];

/** The `/plan` command with a subcommand per slash form, as registered with Discord (guild channels only). */
export function planCommandData(
  commands: readonly BotCommand[] = BOT_COMMANDS,
): RESTPostAPIChatInputApplicationCommandsJSONBody {
  const builder = new SlashCommandBuilder()
    .setName(PLAN_COMMAND_NAME)
    .setDescription("Coaches' daily trading plans")
    .setContexts(InteractionContextType.Guild);
  for (const { slash } of commands) {
    if (!slash) continue;
    builder.addSubcommand((sub) => slash.build(sub.setName(slash.name).setDescription(slash.description)));
  }
  return builder.toJSON();
}

/** The command whose slash form is `/plan <name>`, if any. */
export function findSlashCommand(commands: readonly BotCommand[], name: string): BotCommand | undefined {
  return commands.find((command) => command.slash?.name === name);
}

/** The command a prefix name (or alias) runs, if any; `name` is lower case. */
export function findPrefixCommand(commands: readonly BotCommand[], name: string): BotCommand | undefined {
  return commands.find(
    (command) =>
      command.prefix !== undefined &&
      (command.prefix.name === name || command.prefix.aliases?.includes(name)),
  );
}
