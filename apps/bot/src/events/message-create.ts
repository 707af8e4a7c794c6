import { Events } from 'discord.js';
import { handlePrefixMessage } from '../prefix/prefix-commands.js';
import { defineEvent } from './bot-event.js';
import { replyToMessage, toIncomingMessage } from './discord-message.js';
import { refuseMessage } from './refuse-while-stopping.js';

/** Prefix commands (`!plan d: ...`) arrive as messages. */
export const messageCreate = defineEvent({
  name: Events.MessageCreate,
  execute(runtime, message) {
    if (message.author.bot) return;
    runtime.inFlight.run(
      async () => {
        const reply = await handlePrefixMessage(runtime.context, toIncomingMessage(message));
        if (reply) await replyToMessage(runtime, message, reply);
      },
      () => refuseMessage(runtime.context, message),
    );
  },
});
