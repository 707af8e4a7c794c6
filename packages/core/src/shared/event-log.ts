/** The domains that write to the one event log; an event's type starts with its domain ("market.traded"). */
export const EVENT_LOG_DOMAINS = ['plan', 'market', 'points'] as const;
export type EventLogDomain = (typeof EVENT_LOG_DOMAINS)[number];

/** One event of any domain, as the log keeps it. */
export interface LoggedEvent {
  /** Monotonic across domains; the server-sent event id. */
  readonly id: number;
  readonly domain: EventLogDomain;
  readonly type: string;
  readonly guildId: string | null;
  readonly planId: number | null;
  readonly marketId: number | null;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly occurredAt: string;
}

/** Reads the event log of every domain (implemented by @coachwire/storage). */
export interface EventLogReader {
  /** Events with id greater than `afterId`, oldest first, of the given domains (all when omitted). */
  eventsAfter(afterId: number, limit: number, domains?: readonly EventLogDomain[]): Promise<LoggedEvent[]>;
  /** The newest id of any domain (0 for an empty log). */
  latestEventId(): Promise<number>;
  /** How many events of the domains have an id in (afterId, upToId]. */
  countBetween(afterId: number, upToId: number, domains: readonly EventLogDomain[]): Promise<number>;
}
