import { Events } from 'discord.js';
import { defineEvent } from './bot-event.js';

/** Logged in: record it in the heartbeat row. */
export const clientReady = defineEvent({
  name: Events.ClientReady,
  execute(runtime, client) {
    runtime.context.logger.info(
      { user: client.user.tag, guilds: client.guilds.cache.size },
      'connected to Discord',
    );
    void runtime.heartbeat.write(true);
  },
});

/** The gateway connection dropped; discord.js reconnects by itself. */
export const shardDisconnect = defineEvent({
  name: Events.ShardDisconnect,
  execute(runtime, event, shardId) {
    runtime.context.logger.warn({ shardId, code: event.code }, 'disconnected from Discord');
    void runtime.heartbeat.write(false);
  },
});

export const shardReconnecting = defineEvent({
  name: Events.ShardReconnecting,
  execute(runtime, shardId) {
    runtime.context.logger.warn({ shardId }, 'reconnecting to Discord');
    void runtime.heartbeat.write(false);
  },
});

export const shardResume = defineEvent({
  name: Events.ShardResume,
  execute(runtime, shardId, replayedEvents) {
    runtime.context.logger.info({ shardId, replayedEvents }, 'connection to Discord resumed');
    void runtime.heartbeat.write(true);
  },
});

export const shardReady = defineEvent({
  name: Events.ShardReady,
  execute(runtime, shardId) {
    runtime.context.logger.info({ shardId }, 'gateway session ready');
    void runtime.heartbeat.write(true);
  },
});

/** Client errors are logged; they must never end the process. */
export const clientError = defineEvent({
  name: Events.Error,
  execute(runtime, error) {
    runtime.context.logger.error({ err: error }, 'discord.js client error');
  },
});

export const clientWarn = defineEvent({
  name: Events.Warn,
  execute(runtime, message) {
    runtime.context.logger.warn({ detail: message }, 'discord.js warning');
  },
});
