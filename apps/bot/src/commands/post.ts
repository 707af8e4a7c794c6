import { clipText, MAX_PLAN_TEXT_LENGTH, parseCoachAndText, renderPlan } from '@coachwire/core';
import { ActionRowBuilder, ModalBuilder, TextInputBuilder, TextInputStyle } from 'discord.js';
import type { BotContext } from '../context.js';
import { openCoachCall, showPlanEdit } from '../markets/coach-call-markets.js';
import { type BotReply, viewReply } from '../util/bot-reply.js';
import { defineCommand } from './bot-command.js';
import { type Invocation, ignoredNotes, notifyPlanSaved, type PostInput } from './invocation.js';
import { addChartOptions, addCoachOption, addTextOption, chartsFromOptions } from './slash-options.js';

/** Posts (or replaces) a coach's plan for a date, with its chart attachments. */
export async function postPlan(
  context: BotContext,
  invocation: Invocation,
  input: PostInput,
): Promise<BotReply> {
  const result = await context.service.post(invocation.actor, {
    coach: input.coach,
    text: input.text,
    charts: input.charts,
    tradingDate: input.tradingDate,
    guildId: invocation.guildId,
    channelId: invocation.channelId,
    channelName: invocation.channelName,
    ...(invocation.messageId !== null ? { sourceMessageId: invocation.messageId } : {}),
  });
  const later = notifyPlanSaved(context, result.plan);
  const coach = context.service.resolveCoach(result.plan.coach);
  const headline = result.created
    ? `✅ Saved ${coach.name}'s plan for ${result.plan.tradingDate}.`
    : `✅ Replaced ${coach.name}'s plan for ${result.plan.tradingDate} (the previous text is kept in its history).`;
  // A new plan opens its market; replacing the day's plan is an edit, shown on the market it already has.
  let market: string | null = null;
  if (result.created) market = await openCoachCall(context, invocation, result.plan);
  else await showPlanEdit(context, result.plan);
  const notes = [headline, ...(market ? [market] : []), ...ignoredNotes(result.ignored)];
  return { ...viewReply(renderPlan(result.plan, coach), notes), later };
}

/** The custom id prefix of the `/plan post` form. */
export const POST_MODAL_PREFIX = 'plan-post:';
/** The custom id of the form's text field. */
export const POST_MODAL_TEXT_ID = 'text';

/** What `!plan` and `/plan post` read: the coach, the text and, from the slash form, a date. */
export interface PostArgs {
  readonly coach: string;
  readonly text: string;
  readonly tradingDate?: string | undefined;
}

/** `!plan` and `/plan post`: saves a coach's plan; `/plan post` without text opens a form with a long text field. */
export const postCommand = defineCommand<PostArgs>({
  preconditions: ['listening-here', 'rate-limited'],
  prefix: {
    name: 'plan',
    usage:
      '{p}plan <coach> [YYYY-MM-DD]: <text>  (today unless dated; attach up to the allowed number of chart images)',
    parse: (rest) => parseCoachAndText(rest),
  },
  slash: {
    name: 'post',
    description: "Post (or replace) a coach's plan, with up to four charts",
    usage:
      '/plan post coach:<coach> text:<plan> [chart1..chart4:<image>] [date:YYYY-MM-DD]  (leave text empty to open a form)',
    ephemeral: false,
    build: (builder) =>
      addChartOptions(addTextOption(addCoachOption(builder, true), false)).addStringOption((option) =>
        option
          .setName('date')
          .setDescription('Trading date YYYY-MM-DD (default today)')
          .setMinLength(8)
          .setMaxLength(10),
      ),
    read: (options) => ({
      coach: options.string('coach') ?? '',
      text: options.string('text') ?? '',
      tradingDate: options.string('date') ?? undefined,
    }),
    modal(context, invocation, options) {
      if (options.string('text') !== null) return null;
      const coach = context.service.resolveCoach(options.string('coach') ?? '');
      const key = context.pendingPosts.add({
        userId: invocation.actor.id,
        coach: coach.id,
        tradingDate: options.string('date') ?? undefined,
        charts: chartsFromOptions(options),
      });
      const text = new TextInputBuilder()
        .setCustomId(POST_MODAL_TEXT_ID)
        .setLabel('Plan')
        .setStyle(TextInputStyle.Paragraph)
        .setMaxLength(MAX_PLAN_TEXT_LENGTH)
        .setRequired(true);
      return new ModalBuilder()
        .setCustomId(`${POST_MODAL_PREFIX}${key}`)
        .setTitle(clipText(`${coach.name} plan`, 45))
        .addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(text));
    },
  },
  execute: (context, invocation, args) =>
    postPlan(context, invocation, { ...args, charts: invocation.charts }),
});
