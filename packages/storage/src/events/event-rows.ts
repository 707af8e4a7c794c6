import type { EventLogDomain, LoggedEvent } from '@coachwire/core';

/** An event row as both backends read it (the SQLite and PostgreSQL tables have the same columns). */
export interface EventRowValues {
  readonly id: number;
  readonly domain: EventLogDomain;
  readonly type: string;
  readonly guildId: string | null;
  readonly planId: number | null;
  readonly marketId: number | null;
  readonly payload: string;
  readonly occurredAt: string;
}

/** An event row as core's LoggedEvent: the payload is stored as JSON text. */
export function toLoggedEvent(row: EventRowValues): LoggedEvent {
  return {
    id: row.id,
    domain: row.domain,
    type: row.type,
    guildId: row.guildId,
    planId: row.planId,
    marketId: row.marketId,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    occurredAt: row.occurredAt,
  };
}
