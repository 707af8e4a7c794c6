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

/** Runs the chart-archiving seam without letting its failure reach the user (the plan is already saved). */
export async function notifyPlanSaved(context: BotContext, plan: Plan): Promise<void> {
  try {
    await context.onPlanSaved(plan);
  } catch (error) {
    context.logger.error({ err: error, planId: plan.id }, 'onPlanSaved hook failed');
  }
}

/** One line per attachment the service left out, so the user knows why a file is missing. */
export function ignoredNotes(ignored: readonly { filename: string; reason: string }[]): string[] {
  return ignored.map((item) => `ℹ️ Ignored attachment \`${item.filename}\`: ${item.reason}.`);
}
