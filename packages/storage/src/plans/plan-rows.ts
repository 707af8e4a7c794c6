import type { Chart, Plan, PlanEvent, PlanEventPayload, PlanEventType, PlanRevision } from '@coachwire/core';
import type { charts, planEvents, planRevisions, plans } from '../schema.js';

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
