import { Events } from 'discord.js';
import { handleSourceMessageEdit } from '../prefix/source-message-edit.js';
import { defineEvent } from './bot-event.js';
import { completeMessage, replyToMessage, toIncomingMessage } from './discord-message.js';
import { refuseEdit } from './refuse-while-stopping.js';

/** A plan message edited in Discord within the edit window updates the stored plan. */
export const messageUpdate = defineEvent({
  name: Events.MessageUpdate,
  execute(runtime, oldMessage, newMessage) {
    // Embed unfurls also arrive as updates; only a changed text is an edit.
    if (!oldMessage.partial && oldMessage.content === newMessage.content) return;
    if (newMessage.author?.bot) return;
    runtime.inFlight.run(
      async () => {
        const message = await completeMessage(newMessage);
        if (!message || message.author.bot) return;
        const reply = await handleSourceMessageEdit(runtime.context, toIncomingMessage(message));
        if (reply) await replyToMessage(runtime, message, reply);
      },
      () => refuseEdit(runtime.context, newMessage),
    );
  },
});
