import {
  type ChartInput,
  MAX_PLAN_TEXT_LENGTH,
  type PlanRef,
  parsePlanIdToken,
  ValidationError,
} from '@coachwire/core';
import type { SlashCommandSubcommandBuilder } from 'discord.js';

/** The options of one slash invocation, read by name; built from discord.js's resolver at the edge. */
export interface SlashOptions {
  string(name: string): string | null;
  integer(name: string): number | null;
  number(name: string): number | null;
  /** A user option: the user's id and the name to show. */
  user(name: string): { readonly id: string; readonly name: string } | null;
  attachment(name: string): ChartInput | null;
}

/** Names of the chart attachment options of `/plan post` and `/plan edit`. */
export const CHART_OPTION_NAMES = ['chart1', 'chart2', 'chart3', 'chart4'] as const;

/** Adds the coach option (autocompleted from the configured coaches). */
export function addCoachOption(
  builder: SlashCommandSubcommandBuilder,
  required: boolean,
): SlashCommandSubcommandBuilder {
  return builder.addStringOption((option) =>
    option.setName('coach').setDescription('Coach, e.g. d').setRequired(required).setAutocomplete(true),
  );
}

/** Adds the plan-id option; autocomplete lists the user's recent plans. */
export function addPlanOption(builder: SlashCommandSubcommandBuilder): SlashCommandSubcommandBuilder {
  return builder.addStringOption((option) =>
    option
      .setName('plan')
      .setDescription('Plan id (start typing to pick one of yours)')
      .setAutocomplete(true),
  );
}

/** Adds an optional trading-date option. */
export function addDateOption(
  builder: SlashCommandSubcommandBuilder,
  description: string,
): SlashCommandSubcommandBuilder {
  return builder.addStringOption((option) =>
    option.setName('date').setDescription(description).setMinLength(8).setMaxLength(10),
  );
}

/** Adds the plan-text option. */
export function addTextOption(
  builder: SlashCommandSubcommandBuilder,
  required: boolean,
): SlashCommandSubcommandBuilder {
  return builder.addStringOption((option) =>
    option
      .setName('text')
      .setDescription(required ? 'The new plan text' : 'The plan (leave empty to write it in a larger form)')
      .setRequired(required)
      .setMaxLength(MAX_PLAN_TEXT_LENGTH),
  );
}

/** Adds chart1..chart4 attachment options. */
export function addChartOptions(builder: SlashCommandSubcommandBuilder): SlashCommandSubcommandBuilder {
  for (const [index, name] of CHART_OPTION_NAMES.entries()) {
    builder.addAttachmentOption((option) => option.setName(name).setDescription(`Chart image ${index + 1}`));
  }
  return builder;
}

/** The attachments given as chart1..chart4, in order. */
export function chartsFromOptions(options: SlashOptions): ChartInput[] {
  return CHART_OPTION_NAMES.map((name) => options.attachment(name)).filter((chart) => chart !== null);
}

/** The plan named by `plan:` or by `coach:` (and `date:`); VALIDATION when neither is given. */
export function targetFromOptions(options: SlashOptions): PlanRef {
  const planOption = options.string('plan')?.trim();
  if (planOption) {
    const planId = parsePlanIdToken(planOption);
    if (planId === null)
      throw new ValidationError(
        `'${planOption.slice(0, 40)}' is not a plan id; use a number such as 12.`,
        'plan',
      );
    // Either names the plan, not both: `plan:1 coach:s` edited plan #1 whatever coach it was for.
    if (options.string('coach')?.trim() || options.string('date')?.trim())
      throw new ValidationError(
        'Name the plan one way: plan:<id> alone, or coach:<coach> with an optional date:.',
        'plan',
      );
    return { planId };
  }
  const coach = options.string('coach')?.trim();
  if (!coach)
    throw new ValidationError('Name the plan: give plan:<id>, or coach:<coach> (and date:).', 'plan');
  return { coach, tradingDate: options.string('date') ?? undefined };
}
