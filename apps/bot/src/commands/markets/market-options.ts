import { parseMarketId, ValidationError } from '@coachwire/core';
import type { SlashCommandSubcommandBuilder } from 'discord.js';
import type { SlashOptions } from '../slash-options.js';

/** Adds the market option (autocompleted with markets by question). */
export function addMarketOption(builder: SlashCommandSubcommandBuilder): SlashCommandSubcommandBuilder {
  return builder.addStringOption((option) =>
    option
      .setName('market')
      .setDescription('Market id (start typing the question)')
      .setRequired(true)
      .setAutocomplete(true),
  );
}

/** The market id a slash form names. */
export function marketIdFrom(options: SlashOptions): number {
  const typed = options.string('market');
  if (!typed) throw new ValidationError('Name the market: market:<id>.', 'market');
  return parseMarketId(typed);
}
