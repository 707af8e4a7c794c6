import { Events } from 'discord.js';
import { isSlashGroup } from '../commands/registry.js';
import { handleAutocomplete } from '../interactions/autocomplete.js';
import {
  handleMarketButton,
  handleMarketModal,
  MARKET_COMPONENT_PREFIX,
} from '../interactions/market-components.js';
import { handleModalSubmit } from '../interactions/modal-submit.js';
import { handleSlashCommand } from '../interactions/slash-command.js';
import { answerUnknownComponent } from '../interactions/unknown-component.js';
import { displayName } from '../util/discord-actor.js';
import { defineEvent } from './bot-event.js';

/** Slash commands, their autocomplete, the forms (`/plan post`, markets) and the market buttons. */
export const interactionCreate = defineEvent({
  name: Events.InteractionCreate,
  execute(runtime, interaction) {
    const { context } = runtime;
    context.memberNames.seen(interaction.guildId, {
      id: interaction.user.id,
      name: displayName(interaction.user, interaction.member),
    });
    if (interaction.isAutocomplete()) {
      if (isSlashGroup(interaction.commandName))
        runtime.inFlight.run(() => handleAutocomplete(context, interaction));
    } else if (interaction.isChatInputCommand()) {
      // Every command gets an answer, one left from an older registration too ("Unknown command"): Discord
      // only sends the bot its own commands, and unanswered it shows "The application did not respond".
      runtime.inFlight.run(() => handleSlashCommand(context, interaction));
    } else if (interaction.isModalSubmit()) {
      if (interaction.customId.startsWith(MARKET_COMPONENT_PREFIX))
        runtime.inFlight.run(() => handleMarketModal(context, interaction));
      else runtime.inFlight.run(() => handleModalSubmit(context, interaction));
    } else if (interaction.isButton() && interaction.customId.startsWith(MARKET_COMPONENT_PREFIX)) {
      runtime.inFlight.run(() => handleMarketButton(context, interaction));
    } else if (interaction.isMessageComponent()) {
      runtime.inFlight.run(() => answerUnknownComponent(context, interaction));
    }
  },
});
