import { Events, type Interaction } from 'discord.js';
import { isSlashGroup } from '../commands/registry.js';
import type { BotContext } from '../context.js';
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
import { refuseInteraction } from './refuse-while-stopping.js';

/** Slash commands, their autocomplete, the forms (`/plan post`, markets) and the market buttons. */
export const interactionCreate = defineEvent({
  name: Events.InteractionCreate,
  execute(runtime, interaction) {
    const { context } = runtime;
    context.memberNames.seen(interaction.guildId, {
      id: interaction.user.id,
      name: displayName(interaction.user, interaction.member),
    });
    const handle = handlerFor(context, interaction);
    // While stopping, a command is not run but answered that nothing was done.
    if (handle) runtime.inFlight.run(handle, () => refuseInteraction(context, interaction));
  },
});

function handlerFor(context: BotContext, interaction: Interaction): (() => Promise<void>) | null {
  if (interaction.isAutocomplete()) {
    return isSlashGroup(interaction.commandName) ? () => handleAutocomplete(context, interaction) : null;
  }
  // Every command gets an answer, one left from an older registration too ("Unknown command"): Discord
  // only sends the bot its own commands, and unanswered it shows "The application did not respond".
  if (interaction.isChatInputCommand()) return () => handleSlashCommand(context, interaction);
  if (interaction.isModalSubmit()) {
    return interaction.customId.startsWith(MARKET_COMPONENT_PREFIX)
      ? () => handleMarketModal(context, interaction)
      : () => handleModalSubmit(context, interaction);
  }
  if (interaction.isButton() && interaction.customId.startsWith(MARKET_COMPONENT_PREFIX))
    return () => handleMarketButton(context, interaction);
  if (interaction.isMessageComponent()) return () => answerUnknownComponent(context, interaction);
  return null;
}
