import type { Json } from './entities.js';
import { nextSnowflake } from './snowflake.js';

/** Application commands as the bot registered them, globally and per guild. */
export class CommandRegistry {
  private readonly global: Json[] = [];
  private readonly perGuild = new Map<string, Json[]>();

  constructor(private readonly applicationId: string) {}

  /** The registered commands: global ones, or those of one guild. */
  list(guildId?: string): Json[] {
    return guildId === undefined ? this.global : (this.perGuild.get(guildId) ?? []);
  }

  /** Bulk overwrite (PUT): replaces the whole set, keeping the ids of commands whose name stays. */
  overwrite(commands: Json[], guildId?: string): Json[] {
    const previous = this.list(guildId);
    const next = commands.map((command) =>
      this.complete(command, previous.find((old) => old.name === command.name)?.id, guildId),
    );
    if (guildId === undefined) this.global.splice(0, this.global.length, ...next);
    else this.perGuild.set(guildId, next);
    return next;
  }

  /** Create or replace one command by name (POST). */
  upsert(command: Json, guildId?: string): Json {
    const list = [...this.list(guildId)];
    const index = list.findIndex((old) => old.name === command.name);
    const completed = this.complete(command, list[index]?.id, guildId);
    if (index === -1) list.push(completed);
    else list[index] = completed;
    this.overwrite(list, guildId);
    return completed;
  }

  /** The id of a command by name, looking in the guild first, then globally. */
  idOf(name: string, guildId: string): string | undefined {
    const found = this.list(guildId).find((c) => c.name === name) ?? this.global.find((c) => c.name === name);
    return found ? String(found.id) : undefined;
  }

  private complete(command: Json, existingId: unknown, guildId?: string): Json {
    return {
      type: 1,
      description: '',
      options: [],
      default_member_permissions: null,
      nsfw: false,
      ...command,
      id: existingId ?? nextSnowflake(),
      application_id: this.applicationId,
      version: nextSnowflake(),
      ...(guildId === undefined ? {} : { guild_id: guildId }),
    };
  }
}
