import type { Client, ClientEvents } from 'discord.js';
import type { BotContext } from '../context.js';
import type { Heartbeat } from '../util/heartbeat.js';
import type { InFlightCommands } from '../util/in-flight.js';

/** What event handlers share: the command context, the in-flight tracker and the heartbeat. */
export interface BotRuntime {
  readonly client: Client;
  readonly context: BotContext;
  readonly inFlight: InFlightCommands;
  readonly heartbeat: Heartbeat;
}

/** One client event and what the bot does on it, as in discord.js's bot template (one file per event). */
export interface BotEvent<Name extends keyof ClientEvents = keyof ClientEvents> {
  readonly name: Name;
  readonly once?: boolean;
  execute(runtime: BotRuntime, ...args: ClientEvents[Name]): void;
}

/** Declares an event with its argument types checked. */
export function defineEvent<Name extends keyof ClientEvents>(event: BotEvent<Name>): BotEvent<Name> {
  return event;
}
