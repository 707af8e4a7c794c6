import { type LoggedEvent, type PlanEvent, SHARE_UNIT } from '@coachwire/core';

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

const snakeCase = (key: string) => key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/**
 * A market or points event as clients receive it: the log's columns, then the payload in snake_case, with
 * `option` named `option_id` and micro-shares as decimal shares (as the REST routes show them).
 */
export function ledgerEventJson(event: LoggedEvent): Record<string, unknown> {
  const data: Record<string, unknown> = {
    id: event.id,
    type: event.type,
    guild_id: event.guildId,
    market_id: event.marketId,
    occurred_at: event.occurredAt,
  };
  for (const [key, value] of Object.entries(event.payload)) {
    if (key === 'option') data.option_id = value;
    else if (key === 'shares' && typeof value === 'number') data.shares = value / SHARE_UNIT;
    else if (!(snakeCase(key) in data)) data[snakeCase(key)] = value;
  }
  return data;
}

/** One complete SSE frame: id, event name and the JSON data, ended by a blank line. */
export function eventFrame(event: LoggedEvent): string {
  // A plan-domain row is a plan event (plan id and payload as the plan repository writes them).
  const json = event.domain === 'plan' ? eventJson(event as unknown as PlanEvent) : ledgerEventJson(event);
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(json)}\n\n`;
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
