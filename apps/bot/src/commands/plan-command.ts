import {
  InteractionContextType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  SlashCommandBuilder,
} from 'discord.js';
import { deleteSubcommand } from './delete.js';
import { editSubcommand } from './edit.js';
import { historySubcommand } from './history.js';
import { listSubcommand } from './list.js';
import { mineSubcommand } from './mine.js';
import type { PlanSubcommand } from './plan-subcommand.js';
import { postSubcommand } from './post.js';
import { showSubcommand } from './show.js';

/** Every `/plan` subcommand, in the order Discord lists them. */
export const PLAN_SUBCOMMANDS: readonly PlanSubcommand[] = [
  postSubcommand,
  editSubcommand,
  deleteSubcommand,
  listSubcommand,
  mineSubcommand,
  historySubcommand,
  showSubcommand,
];

/** The name of the one top-level slash command. */
export const PLAN_COMMAND_NAME = 'plan';

/** The `/plan` command with its subcommands, as registered with Discord (guild channels only). */
export function planCommandData(): RESTPostAPIChatInputApplicationCommandsJSONBody {
  const builder = new SlashCommandBuilder()
    .setName(PLAN_COMMAND_NAME)
    .setDescription("Coaches' daily trading plans")
    .setContexts(InteractionContextType.Guild);
  for (const subcommand of PLAN_SUBCOMMANDS) {
    builder.addSubcommand((sub) =>
      subcommand.build(sub.setName(subcommand.name).setDescription(subcommand.description)),
    );
  }
  return builder.toJSON();
}

/** The subcommand called `name`, if any. */
export function findSubcommand(name: string): PlanSubcommand | undefined {
  return PLAN_SUBCOMMANDS.find((subcommand) => subcommand.name === name);
}
