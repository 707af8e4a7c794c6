import { REST, Routes } from 'discord.js';
import { slashCommandData } from '../commands/registry.js';

export interface RegisterCommandsOptions {
  readonly token: string;
  readonly applicationId: string;
  /** Registers for one guild (instant, for development); omitted registers globally (production). */
  readonly guildId?: string | undefined;
  /** Base URL of Discord's REST API; the emulator's in tests and mock mode. */
  readonly restApi?: string | undefined;
}

/** Replaces the application's slash commands with every top-level command of the registry (PUT, so stale commands disappear). Returns how many were registered. */
export async function registerCommands(options: RegisterCommandsOptions): Promise<number> {
  const rest = new REST(options.restApi ? { api: options.restApi } : {}).setToken(options.token);
  const route = options.guildId
    ? Routes.applicationGuildCommands(options.applicationId, options.guildId)
    : Routes.applicationCommands(options.applicationId);
  const registered = (await rest.put(route, { body: slashCommandData() })) as unknown[];
  return registered.length;
}
