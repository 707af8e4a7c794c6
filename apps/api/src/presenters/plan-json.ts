import type { Chart, Plan, PlanRevision } from '@coachwire/core';
import type { Static } from 'typebox';
import type { ChartJson, PlanJson, PlanRevisionJson } from '../schemas/plan-schemas.js';
import type { ChartUrlFor } from './chart-url.js';

/** A chart as the v1 API shows it. */
export function chartJson(chart: Chart, chartUrl: ChartUrlFor): Static<typeof ChartJson> {
  return {
    id: chart.id,
    url: chartUrl(chart),
    source_url: chart.url,
    filename: chart.filename,
    content_type: chart.contentType,
    size: chart.size,
    width: chart.width,
    height: chart.height,
    sha256: chart.sha256,
  };
}

/** A plan as the v1 API shows it. */
export function planJson(plan: Plan, coachName: string, chartUrl: ChartUrlFor): Static<typeof PlanJson> {
  return {
    id: plan.id,
    coach: plan.coach,
    coach_name: coachName,
    trading_date: plan.tradingDate,
    text: plan.text,
    author: { id: plan.author.id, name: plan.author.name },
    guild_id: plan.guildId,
    channel: { id: plan.channelId, name: plan.channelName },
    source_message_id: plan.sourceMessageId,
    charts: plan.charts.map((chart) => chartJson(chart, chartUrl)),
    created_at: plan.createdAt,
    edited_at: plan.editedAt,
    deleted_at: plan.deletedAt,
  };
}

/** One revision of a plan as the v1 API shows it. */
export function revisionJson(revision: PlanRevision): Static<typeof PlanRevisionJson> {
  return {
    id: revision.id,
    plan_id: revision.planId,
    previous_text: revision.previousText,
    editor: { id: revision.editor.id, name: revision.editor.name },
    edited_at: revision.editedAt,
  };
}
