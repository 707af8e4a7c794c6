import { clipText, normalizeCoachToken } from '@coachwire/core';
import type { ApplicationCommandOptionChoiceData, AutocompleteInteraction } from 'discord.js';
import type { BotContext } from '../context.js';
import { marketChoices, outcomeChoices } from './market-autocomplete.js';

/** Discord shows at most 25 choices; names are at most 100 characters. */
const MAX_CHOICES = 25;
const MAX_CHOICE_NAME = 100;

/** Coaches whose id or name contains what the user typed. */
export function coachChoices(
  context: BotContext,
  typed: string,
): ApplicationCommandOptionChoiceData<string>[] {
  const needle = normalizeCoachToken(typed);
  return context.service.coaches
    .filter(
      (coach) => needle === '' || coach.id.includes(needle) || coach.name.toLowerCase().includes(needle),
    )
    .slice(0, MAX_CHOICES)
    .map((coach) => ({ name: clipText(`${coach.name} (${coach.id})`, MAX_CHOICE_NAME), value: coach.id }));
}

/** The user's recent plans whose id, coach, date or text matches what was typed. */
export async function planChoices(
  context: BotContext,
  userId: string,
  typed: string,
): Promise<ApplicationCommandOptionChoiceData<string>[]> {
  const needle = typed.trim().replace(/^#/, '').toLowerCase();
  const page = await context.service.list({ authorId: userId, limit: MAX_CHOICES });
  return page.items
    .map((plan) => ({
      plan,
      label: `#${plan.id} · ${context.service.coachName(plan.coach)} · ${plan.tradingDate} · ${plan.text.split('\n')[0] ?? ''}`,
    }))
    .filter(
      ({ plan, label }) =>
        needle === '' || String(plan.id).startsWith(needle) || label.toLowerCase().includes(needle),
    )
    .map(({ plan, label }) => ({ name: clipText(label, MAX_CHOICE_NAME), value: String(plan.id) }));
}

/** Answers autocomplete for `coach:`, `plan:`, `market:` and `outcome:`; a failure answers with no choices rather than leaving Discord waiting. */
export async function handleAutocomplete(
  context: BotContext,
  interaction: AutocompleteInteraction,
): Promise<void> {
  const focused = interaction.options.getFocused(true);
  let choices: ApplicationCommandOptionChoiceData<string>[] = [];
  try {
    if (focused.name === 'coach') choices = coachChoices(context, focused.value);
    else if (focused.name === 'plan')
      choices = await planChoices(context, interaction.user.id, focused.value);
    else if (focused.name === 'market')
      choices = await marketChoices(
        context,
        interaction.guildId,
        interaction.options.getSubcommand(false),
        focused.value,
      );
    else if (focused.name === 'outcome')
      choices = await outcomeChoices(
        context,
        interaction.guildId,
        interaction.options.getString('market'),
        focused.value,
      );
  } catch (error) {
    context.logger.error(
      { err: error, userId: interaction.user.id, option: focused.name },
      'autocomplete failed',
    );
  }
  try {
    await interaction.respond(choices);
  } catch (error) {
    context.logger.warn({ err: error, userId: interaction.user.id }, 'could not answer autocomplete');
  }
}
