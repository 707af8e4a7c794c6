import {
  InteractionContextType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  SlashCommandBuilder,
  SlashCommandSubcommandBuilder,
} from 'discord.js';
import {
  type BotCommand,
  PLAN_COMMAND_NAME,
  SLASH_GROUPS,
  type SlashGroup,
  slashGroupOf,
} from './bot-command.js';
import { deleteCommand } from './delete.js';
import { editCommand } from './edit.js';
import { helpCommand } from './help.js';
import { historyCommand } from './history.js';
import { listCommand } from './list.js';
import { betCommand } from './markets/bet.js';
import { cancelMarketCommand } from './markets/cancel.js';
import { createMarketCommand } from './markets/create.js';
import { listMarketsCommand } from './markets/list.js';
import { resolveMarketCommand } from './markets/resolve.js';
import { showMarketCommand } from './markets/show.js';
import { unresolveMarketCommand } from './markets/unresolve.js';
import { mineCommand } from './mine.js';
import { balanceCommand } from './points/balance.js';
import { coachScoreboardCommand } from './points/coach-scoreboard.js';
import { dailyCommand } from './points/daily.js';
import { giveCommand } from './points/give.js';
import { leaderboardCommand } from './points/leaderboard.js';
import { portfolioCommand } from './portfolio.js';
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
  createMarketCommand,
  showMarketCommand,
  listMarketsCommand,
  betCommand,
  resolveMarketCommand,
  unresolveMarketCommand,
  cancelMarketCommand,
  portfolioCommand,
  balanceCommand,
  dailyCommand,
  leaderboardCommand,
  giveCommand,
  coachScoreboardCommand,
  helpCommand,
];

/** The top-level slash commands, each with its forms as subcommands (or its own options), as registered with Discord (guild channels only). */
export function slashCommandData(
  commands: readonly BotCommand[] = BOT_COMMANDS,
): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  const groups = new Map<SlashGroup, SlashCommandBuilder>();
  const data: RESTPostAPIChatInputApplicationCommandsJSONBody[] = [];
  for (const { slash } of commands) {
    if (!slash) continue;
    const group = slashGroupOf(slash);
    if (slash.name === undefined) {
      // A whole top-level command: its options are those a subcommand builder collects.
      const options = slash.build(new SlashCommandSubcommandBuilder().setName(group).setDescription('-'));
      data.push({
        ...topLevel(group).setDescription(slash.description).toJSON(),
        options: options.toJSON().options ?? [],
      });
      continue;
    }
    let builder = groups.get(group);
    if (!builder) {
      builder = topLevel(group);
      groups.set(group, builder);
    }
    const name = slash.name;
    builder.addSubcommand((sub) => slash.build(sub.setName(name).setDescription(slash.description)));
  }
  return [...[...groups.values()].map((builder) => builder.toJSON()), ...data];
}

function topLevel(group: SlashGroup): SlashCommandBuilder {
  return new SlashCommandBuilder()
    .setName(group)
    .setDescription(SLASH_GROUPS[group])
    .setContexts(InteractionContextType.Guild);
}

/** The `/plan` command with a subcommand per plan form. */
export function planCommandData(
  commands: readonly BotCommand[] = BOT_COMMANDS,
): RESTPostAPIChatInputApplicationCommandsJSONBody {
  const plan = slashCommandData(commands).find((command) => command.name === PLAN_COMMAND_NAME);
  if (!plan) throw new Error('No /plan form is registered.');
  return plan;
}

/** True when `name` is one of the bot's top-level slash commands. */
export function isSlashGroup(name: string): name is SlashGroup {
  return Object.hasOwn(SLASH_GROUPS, name);
}

/** The command whose slash form is `/<group> <subcommand>` (or `/<group>` when `subcommand` is null), if any. */
export function findSlashCommand(
  commands: readonly BotCommand[],
  group: string,
  subcommand: string | null,
): BotCommand | undefined {
  return commands.find(
    (command) =>
      command.slash !== undefined &&
      slashGroupOf(command.slash) === group &&
      (command.slash.name ?? null) === subcommand,
  );
}

/** The command a prefix name (or alias) runs, if any; `name` is lower case. */
export function findPrefixCommand(commands: readonly BotCommand[], name: string): BotCommand | undefined {
  return commands.find(
    (command) =>
      command.prefix !== undefined &&
      (command.prefix.name === name || command.prefix.aliases?.includes(name)),
  );
}
