import type { CoachwireError } from '../shared/errors.js';
import { clipText, DISCORD_LIMITS, linesWithin } from './reply-limits.js';
import type { Coach, Plan, PlanRevision } from './types.js';

/** A reply as data: the bot turns it into a Discord embed, other front ends into text. */
export interface ReplyView {
  readonly title: string;
  readonly description: string;
  readonly fields: readonly { readonly name: string; readonly value: string; readonly inline?: boolean }[];
  readonly imageUrls: readonly string[];
  readonly footer?: string;
  /** ISO timestamp shown by Discord at the bottom of an embed. */
  readonly timestamp?: string;
  readonly color: number;
}

export const COLORS = {
  plan: 0x2f80ed,
  list: 0x27ae60,
  history: 0x9b51e0,
  help: 0x828282,
  error: 0xeb5757,
} as const;

const DISCORD_DESCRIPTION_LIMIT = 4096;
const DISCORD_FIELD_LIMIT = 1024;

/** A Discord timestamp tag such as `<t:1763700000:R>` ("3 hours ago" in every reader's locale). */
export function discordTimestamp(iso: string, style: 'R' | 'f' | 'd' | 't' = 'R'): string {
  return `<t:${Math.floor(Date.parse(iso) / 1000)}:${style}>`;
}

function authorMention(plan: Pick<Plan, 'author'>): string {
  return plan.author.id && /^\d+$/.test(plan.author.id) ? `<@${plan.author.id}>` : plan.author.name;
}

/** One plan: coach, date, author, text, charts, and an "edited" marker. */
export function renderPlan(plan: Plan, coach: Pick<Coach, 'name'>, chartUrls?: readonly string[]): ReplyView {
  const fields = [
    { name: 'Author', value: authorMention(plan), inline: true },
    { name: 'Posted', value: discordTimestamp(plan.createdAt), inline: true },
    { name: 'Plan id', value: `#${plan.id}`, inline: true },
  ];
  if (plan.editedAt) fields.push({ name: 'Edited', value: discordTimestamp(plan.editedAt), inline: true });
  return {
    title: `${coach.name} · ${plan.tradingDate}${plan.editedAt ? ' (edited)' : ''}`,
    description: clipText(plan.text, DISCORD_DESCRIPTION_LIMIT),
    fields,
    imageUrls: chartUrls ?? plan.charts.map((chart) => chart.url),
    footer: plan.charts.length > 0 ? chartCount(plan.charts.length) : 'no charts',
    timestamp: plan.editedAt ?? plan.createdAt,
    color: COLORS.plan,
  };
}

function chartCount(count: number): string {
  return `${count} chart${count === 1 ? '' : 's'}`;
}

/** A list of plans, one line each, for `!plans` and `!myplans`. */
export function renderPlanList(
  plans: readonly Plan[],
  coachName: (coachId: string) => string,
  heading: string,
  emptyText: string,
): ReplyView {
  const lines = plans.map((plan) => {
    const firstLine = clipText(plan.text.split('\n')[0] ?? '', 80);
    const edited = plan.editedAt ? ' (edited)' : '';
    const charts = plan.charts.length > 0 ? ` · ${chartCount(plan.charts.length)}` : '';
    return `**${coachName(plan.coach)}** · ${plan.tradingDate} · #${plan.id} by ${authorMention(plan)}${edited}${charts}\n${firstLine}`;
  });
  return {
    title: heading,
    description: clipText(lines.length > 0 ? lines.join('\n\n') : emptyText, DISCORD_DESCRIPTION_LIMIT),
    fields: [],
    imageUrls: [],
    color: COLORS.list,
  };
}

/** A plan's edit history, newest first. */
export function renderHistory(plan: Plan, coachName: string, revisions: readonly PlanRevision[]): ReplyView {
  const fields = revisions.slice(0, 10).map((revision) => ({
    name: `${revision.editor.name} · ${discordTimestamp(revision.editedAt)}`,
    value: clipText(`Before: ${revision.previousText}`, DISCORD_FIELD_LIMIT),
  }));
  return {
    title: `History of ${coachName} · ${plan.tradingDate} (#${plan.id})`,
    description:
      revisions.length === 0
        ? 'This plan has not been edited.'
        : `${revisions.length} edit${revisions.length === 1 ? '' : 's'}${revisions.length > 10 ? ' (latest 10 shown)' : ''}. Current text:\n${clipText(plan.text, 1500)}`,
    fields,
    imageUrls: [],
    color: COLORS.history,
  };
}

/** What `!help` lists: each prefix command's usage line (prefix applied) and the slash command names. */
export interface HelpListing {
  readonly prefixUsages: readonly string[];
  readonly slashCommands: readonly string[];
}

/** The help text: every command's usage and the coaches. */
export function renderHelp(listing: HelpListing, coaches: readonly Pick<Coach, 'id' | 'name'>[]): ReplyView {
  return {
    title: 'Coachwire commands',
    description: [
      ...listing.prefixUsages.map((usage) => `\`${usage}\``),
      '',
      `Slash commands: ${listing.slashCommands.map((name) => `\`${name}\``).join(', ')}.`,
    ].join('\n'),
    fields: [
      {
        name: 'Coaches',
        value: linesWithin(
          coaches.map((coach) => `\`${coach.id}\` ${coach.name}`),
          DISCORD_LIMITS.fieldValue,
        ),
      },
    ],
    imageUrls: [],
    color: COLORS.help,
  };
}

/**
 * A friendly one-paragraph error with the usage line. A storage failure's own message names the database's
 * path or server and the driver's words: it goes to the log under the error id, and the channel gets a
 * sentence with that id (as the API's 503 does).
 */
export function renderError(
  error: Pick<CoachwireError, 'message' | 'code' | 'errorId'>,
  usage?: string,
): string {
  if (error.code === 'STORAGE_UNAVAILABLE') {
    return `⚠️ The database is not answering right now, so nothing was saved. Try again in a moment; if it keeps failing, tell an admin the error id ${error.errorId}.`;
  }
  const lines = [`⚠️ ${error.message}`];
  if (usage) lines.push(`Usage: \`${usage}\``);
  return lines.join('\n');
}

/** A plain-text rendering of a view, for logs and text-only replies. */
export function viewToText(view: ReplyView): string {
  const parts = [`**${view.title}**`, view.description];
  for (const field of view.fields) parts.push(`${field.name}: ${field.value}`);
  if (view.imageUrls.length > 0) parts.push(view.imageUrls.join('\n'));
  return parts.join('\n');
}
