import { legacyCoachKey, type Plan, type PlanRevision } from '@coachwire/core';
import type { Static } from 'typebox';
import type { LegacyAllEntryJson, LegacyHistoryJson, LegacyPlanJson } from '../schemas/legacy-schemas.js';
import type { ChartUrlFor } from './chart-url.js';

/** A plan in the old API's `/api/coach-plans/` shape. */
export function legacyPlanJson(plan: Plan, chartUrl: ChartUrlFor): Static<typeof LegacyPlanJson> {
  return {
    plan: plan.text,
    charts: plan.charts.map(chartUrl),
    author: plan.author.name,
    created_at: plan.createdAt,
    edited_at: plan.editedAt,
    channel: plan.channelName,
  };
}

/** The old API's answer when a coach has no plan on a date: status 200, a sentence in `plan`. */
export function legacyNoPlanJson(coachId: string, tradingDate: string): Static<typeof LegacyPlanJson> {
  return { plan: `No plan available for ${legacyCoachKey(coachId)} on ${tradingDate}`, charts: [] };
}

/** A plan in the old API's `/api/coach-plans/all` entry shape (no channel). */
export function legacyAllEntryJson(plan: Plan, chartUrl: ChartUrlFor): Static<typeof LegacyAllEntryJson> {
  return {
    plan: plan.text,
    charts: plan.charts.map(chartUrl),
    author: plan.author.name,
    created_at: plan.createdAt,
    edited_at: plan.editedAt,
  };
}

/** Revisions in the old API's `/api/coach-plans/history` shape, newest first. */
export function legacyHistoryJson(revisions: readonly PlanRevision[]): Static<typeof LegacyHistoryJson> {
  return {
    history: revisions.map((revision) => ({
      plan_text: revision.previousText,
      edited_by: revision.editor.name,
      edited_at: revision.editedAt,
    })),
  };
}
