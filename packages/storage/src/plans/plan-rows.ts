import type { Chart, Plan, PlanEvent, PlanEventPayload, PlanEventType, PlanRevision } from '@coachwire/core';
import { charts, type planEvents, type planRevisions, plans } from '../schema.js';

export type PlanRow = typeof plans.$inferSelect;
export type ChartRow = typeof charts.$inferSelect;
export type RevisionRow = typeof planRevisions.$inferSelect;
export type EventRow = typeof planEvents.$inferSelect;

/** A chart row as core's Chart (the archive bookkeeping columns stay internal). */
export function toChart(row: ChartRow): Chart {
  return {
    id: row.id,
    position: row.position,
    url: row.url,
    filename: row.filename,
    contentType: row.contentType,
    size: row.size,
    width: row.width,
    height: row.height,
    discordAttachmentId: row.discordAttachmentId,
    sha256: row.sha256,
    archiveStatus: row.archiveStatus,
  };
}

/** A plan row and its chart rows (already in position order) as core's Plan. */
export function toPlan(row: PlanRow, chartRows: readonly ChartRow[]): Plan {
  return {
    id: row.id,
    coach: row.coach,
    tradingDate: row.tradingDate,
    text: row.text,
    author: { id: row.authorId, name: row.authorName },
    guildId: row.guildId,
    channelId: row.channelId,
    channelName: row.channelName,
    sourceMessageId: row.sourceMessageId,
    charts: chartRows.map(toChart),
    createdAt: row.createdAt,
    editedAt: row.editedAt,
    deletedAt: row.deletedAt,
  };
}

// Pages of plans are read as arrays of values (drizzle's .values()), not as row objects: a page of 50
// has some 2,000 values, and building a keyed row object per row, then mapping it again into core's
// shape, cost more than the queries. The column lists below fix the order the mappers read.

/** The columns of a plan a page reads, in the order of PlanValues. */
export const planColumns = {
  id: plans.id,
  coach: plans.coach,
  tradingDate: plans.tradingDate,
  text: plans.text,
  authorId: plans.authorId,
  authorName: plans.authorName,
  guildId: plans.guildId,
  channelId: plans.channelId,
  channelName: plans.channelName,
  sourceMessageId: plans.sourceMessageId,
  createdAt: plans.createdAt,
  editedAt: plans.editedAt,
  deletedAt: plans.deletedAt,
};

/** One plan as read with planColumns. */
export type PlanValues = [
  id: number,
  coach: string,
  tradingDate: string,
  text: string,
  authorId: string | null,
  authorName: string,
  guildId: string | null,
  channelId: string | null,
  channelName: string | null,
  sourceMessageId: string | null,
  createdAt: string,
  editedAt: string | null,
  deletedAt: string | null,
];

/** The columns of a chart a page reads (its plan id first), in the order of PageChartValues. */
export const pageChartColumns = {
  planId: charts.planId,
  id: charts.id,
  position: charts.position,
  url: charts.url,
  filename: charts.filename,
  contentType: charts.contentType,
  size: charts.size,
  width: charts.width,
  height: charts.height,
  discordAttachmentId: charts.discordAttachmentId,
  sha256: charts.sha256,
  archiveStatus: charts.archiveStatus,
};

/** One chart as read with pageChartColumns. */
export type PageChartValues = [
  planId: number,
  id: number,
  position: number,
  url: string,
  filename: string,
  contentType: string | null,
  size: number | null,
  width: number | null,
  height: number | null,
  discordAttachmentId: string | null,
  sha256: string | null,
  archiveStatus: Chart['archiveStatus'],
];

/** A page's plans with their charts (chart values in plan, then position order), in the plans' order. */
export function plansFromValues(
  planValues: readonly PlanValues[],
  chartValues: readonly PageChartValues[],
): Plan[] {
  const chartsByPlan = new Map<number, Chart[]>();
  for (const values of planValues) chartsByPlan.set(values[0], []);
  for (const values of chartValues) {
    chartsByPlan.get(values[0])?.push({
      id: values[1],
      position: values[2],
      url: values[3],
      filename: values[4],
      contentType: values[5],
      size: values[6],
      width: values[7],
      height: values[8],
      discordAttachmentId: values[9],
      sha256: values[10],
      archiveStatus: values[11],
    });
  }
  return planValues.map((values) => ({
    id: values[0],
    coach: values[1],
    tradingDate: values[2],
    text: values[3],
    author: { id: values[4], name: values[5] },
    guildId: values[6],
    channelId: values[7],
    channelName: values[8],
    sourceMessageId: values[9],
    charts: chartsByPlan.get(values[0]) ?? [],
    createdAt: values[10],
    editedAt: values[11],
    deletedAt: values[12],
  }));
}

export function toRevision(row: RevisionRow): PlanRevision {
  return {
    id: row.id,
    planId: row.planId,
    previousText: row.previousText,
    editor: { id: row.editorId, name: row.editorName },
    editedAt: row.editedAt,
  };
}

export function toEvent(row: EventRow): PlanEvent {
  return {
    id: row.id,
    // Rows come from the plan-domain statements, so these are plan events with a plan id.
    type: row.type as PlanEventType,
    planId: row.planId as number,
    payload: JSON.parse(row.payload) as PlanEventPayload,
    occurredAt: row.occurredAt,
  };
}
