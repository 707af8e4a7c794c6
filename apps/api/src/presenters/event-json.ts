import type { PlanEvent } from '@coachwire/core';

/** The JSON of one server-sent plan event (the `data:` line). */
export interface PlanEventJson {
  id: number;
  type: string;
  plan_id: number;
  coach: string;
  trading_date: string;
  author_id: string | null;
  author_name: string;
  edited_at: string | null;
  deleted_at: string | null;
  occurred_at: string;
}

/** A plan event as clients of `/api/v1/events` receive it. */
export function eventJson(event: PlanEvent): PlanEventJson {
  return {
    id: event.id,
    type: event.type,
    plan_id: event.planId,
    coach: event.payload.coach,
    trading_date: event.payload.tradingDate,
    author_id: event.payload.authorId,
    author_name: event.payload.authorName,
    edited_at: event.payload.editedAt,
    deleted_at: event.payload.deletedAt,
    occurred_at: event.occurredAt,
  };
}

/** One complete SSE frame: id, event name and the JSON data, ended by a blank line. */
export function eventFrame(event: PlanEvent): string {
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(eventJson(event))}\n\n`;
}

/** Why a stream asks its client to resync: too far behind, behind what was pruned, or ahead of the log. */
export type ResyncReason = 'replay_limit' | 'pruned' | 'unknown_event_id';

/**
 * The `resync` frame: the events after the client's Last-Event-ID cannot be replayed, so it must reload its
 * state (as on a first connection); the stream goes on live from `latest_event_id`, which is also its id so a
 * reconnect resumes from there.
 */
export function resyncFrame(latestEventId: number, reason: ResyncReason): string {
  const data = JSON.stringify({ reason, latest_event_id: latestEventId });
  return `id: ${latestEventId}\nevent: resync\ndata: ${data}\n\n`;
}
