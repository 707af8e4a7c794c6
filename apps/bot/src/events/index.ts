import type { Client } from 'discord.js';
import type { BotEvent, BotRuntime } from './bot-event.js';
import {
  clientError,
  clientReady,
  clientWarn,
  shardDisconnect,
  shardReady,
  shardReconnecting,
  shardResume,
} from './connection.js';
import { interactionCreate } from './interaction-create.js';
import { messageCreate } from './message-create.js';
import { messageUpdate } from './message-update.js';

/** Every event the bot listens to. */
export const BOT_EVENTS = [
  clientReady,
  shardReady,
  shardDisconnect,
  shardReconnecting,
  shardResume,
  clientError,
  clientWarn,
  messageCreate,
  messageUpdate,
  interactionCreate,
] as readonly BotEvent[];

/** Attaches every event to the client; a throwing handler is logged and never reaches discord.js. */
export function registerEvents(client: Client, runtime: BotRuntime): void {
  for (const event of BOT_EVENTS) {
    const listener = (...args: unknown[]) => {
      try {
        (event.execute as (runtime: BotRuntime, ...rest: unknown[]) => void)(runtime, ...args);
      } catch (error) {
        runtime.context.logger.error({ err: error, event: event.name }, 'event handler failed');
      }
    };
    if (event.once) client.once(event.name, listener);
    else client.on(event.name, listener);
  }
}
