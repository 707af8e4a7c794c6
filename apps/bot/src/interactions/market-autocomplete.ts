import { clipText, type MarketPhase, optionLabelled, parseMarketId } from '@coachwire/core';
import type { ApplicationCommandOptionChoiceData } from 'discord.js';
import type { BotContext } from '../context.js';

const MAX_CHOICES = 25;
const MAX_CHOICE_NAME = 100;

/** Which markets a subcommand acts on: settling wants closed ones too, unresolving resolved ones. */
function phasesFor(subcommand: string | null): MarketPhase[] {
  if (subcommand === 'resolve' || subcommand === 'cancel') return ['closed', 'open'];
  if (subcommand === 'unresolve') return ['resolved'];
  if (subcommand === 'show') return ['open', 'closed', 'resolved'];
  return ['open'];
}

/** Markets of the guild whose id or question matches what was typed, for the `market:` option. */
export async function marketChoices(
  context: BotContext,
  guildId: string | null,
  subcommand: string | null,
  typed: string,
): Promise<ApplicationCommandOptionChoiceData<string>[]> {
  if (guildId === null) return [];
  const needle = typed.trim().replace(/^#/, '').toLowerCase();
  const choices: ApplicationCommandOptionChoiceData<string>[] = [];
  for (const status of phasesFor(subcommand)) {
    const page = await context.marketQueries.list({ guildId, status, limit: MAX_CHOICES });
    for (const { market } of page.items) {
      const label = `#${market.id} · ${market.question}`;
      if (needle === '' || String(market.id).startsWith(needle) || label.toLowerCase().includes(needle))
        choices.push({ name: clipText(label, MAX_CHOICE_NAME), value: String(market.id) });
    }
  }
  return choices.slice(0, MAX_CHOICES);
}

/** The options of the market already chosen (and `cancel` when settling), for `outcome:`. */
export async function outcomeChoices(
  context: BotContext,
  guildId: string | null,
  marketTyped: string | null,
  typed: string,
): Promise<ApplicationCommandOptionChoiceData<string>[]> {
  if (guildId === null || !marketTyped) return [];
  let marketId: number;
  try {
    marketId = parseMarketId(marketTyped);
  } catch {
    return [];
  }
  const market = await context.markets.get(guildId, marketId);
  const needle = typed.trim().toLowerCase();
  // An option labelled Cancel is resolved to by that name; cancelling that market is /market cancel.
  const cancels = optionLabelled(market, 'cancel') === null ? ['cancel'] : [];
  const labels = [...market.options.map((option) => option.label), ...cancels];
  return labels
    .filter((label) => needle === '' || label.toLowerCase().includes(needle))
    .map((label) => ({ name: clipText(label, MAX_CHOICE_NAME), value: label }));
}
