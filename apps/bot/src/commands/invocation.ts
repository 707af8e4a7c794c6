import type { Actor, ChartInput, Plan, PlanRef } from '@coachwire/core';
import type { BotContext } from '../context.js';

/** Who invoked a command and where; the same for a prefix message and a slash interaction. */
export interface Invocation {
  readonly actor: Actor;
  readonly guildId: string | null;
  readonly channelId: string | null;
  readonly channelName: string | null;
  /** The Discord message the command came in (prefix commands only); becomes a plan's source message. */
  readonly messageId: string | null;
  /** The interaction or message id: the idempotency key of what the command writes (one effect per id). */
  readonly requestId: string;
  /** The chart images that came with it: a message's attachments, or a slash command's chart1..chart4. */
  readonly charts: readonly ChartInput[];
}

export interface PostInput {
  readonly coach: string;
  readonly text: string;
  readonly tradingDate?: string | undefined;
  readonly charts: readonly ChartInput[];
}

export interface EditInput {
  readonly target: PlanRef;
  readonly text: string;
  readonly charts: readonly ChartInput[];
}

/**
 * Starts the chart-archiving seam without waiting for it (the reply must not wait for downloads) and without
 * letting its failure reach the user (the plan is already saved). Resolves to notes to send after the reply.
 */
export function notifyPlanSaved(context: BotContext, plan: Plan): Promise<readonly string[]> {
  return Promise.resolve()
    .then(() => context.onPlanSaved(plan))
    .then(
      (notes) =>
        Array.isArray(notes) ? notes.filter((note): note is string => typeof note === 'string') : [],
      (error: unknown) => {
        context.logger.error({ err: error, planId: plan.id }, 'onPlanSaved hook failed');
        return [];
      },
    );
}

/** One line per attachment the service left out, so the user knows why a file is missing. */
export function ignoredNotes(ignored: readonly { filename: string; reason: string }[]): string[] {
  return ignored.map((item) => `ℹ️ Ignored attachment \`${item.filename}\`: ${item.reason}.`);
}
