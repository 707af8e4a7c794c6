import {
  EVENT_LOG_DOMAINS,
  type EventLogDomain,
  LEDGER_EVENT_TYPES,
  type LoggedEvent,
  PLAN_EVENT_TYPES,
  ValidationError,
} from '@coachwire/core';

/** Which events a stream sends, and the domains its replay has to read. */
export interface EventFilter {
  readonly domains: readonly EventLogDomain[];
  accepts(event: LoggedEvent): boolean;
}

const PATTERN = /^(\*|(plan|market|points)\.(\*|[a-z_]{1,40}))$/;
const MAX_PATTERNS = 20;
const EVENT_TYPES: ReadonlySet<string> = new Set([...PLAN_EVENT_TYPES, ...LEDGER_EVENT_TYPES]);

/** What a stream that asks for nothing new gets: plan events, exactly as before markets existed. */
export const PLAN_EVENTS: EventFilter = {
  domains: ['plan'],
  accepts: (event) => event.domain === 'plan',
};

/**
 * `?types=` (comma-separated `market.traded`, `market.*`, `*`) and `?market_id=`. Neither: plan events only,
 * as streams opened before markets existed expect. `market_id` alone means that market's events.
 */
export function parseEventFilter(types: string | undefined, marketId: number | undefined): EventFilter {
  if ((types === undefined || types.trim() === '') && marketId === undefined) return PLAN_EVENTS;
  const patterns = (types ?? 'market.*')
    .split(',')
    .map((pattern) => pattern.trim())
    .filter((pattern) => pattern !== '');
  if (patterns.length === 0 || patterns.length > MAX_PATTERNS || !patterns.every((p) => PATTERN.test(p))) {
    throw new ValidationError(
      `types is a comma-separated list of up to ${MAX_PATTERNS} event types or domain wildcards, ` +
        "e.g. 'market.*,points.granted' (domains: plan, market, points; '*' for all).",
      'types',
    );
  }
  // A mistyped type ("market.trade") would give a stream that stays silent, as if nothing happened.
  const unknown = patterns.find((pattern) => !pattern.endsWith('*') && !EVENT_TYPES.has(pattern));
  if (unknown !== undefined) {
    throw new ValidationError(
      `types names no event '${unknown}'; the events are ${[...EVENT_TYPES].join(', ')} ` +
        "(or a domain wildcard such as 'market.*').",
      'types',
    );
  }
  const domains = EVENT_LOG_DOMAINS.filter((domain) =>
    patterns.some((pattern) => pattern === '*' || pattern.startsWith(`${domain}.`)),
  );
  const exact = new Set(patterns.filter((pattern) => !pattern.endsWith('*')));
  const wildcardDomains = new Set(
    patterns.filter((pattern) => pattern.endsWith('.*')).map((pattern) => pattern.slice(0, -2)),
  );
  const everything = patterns.includes('*');
  return {
    domains,
    accepts: (event) =>
      (marketId === undefined || event.marketId === marketId) &&
      (everything || wildcardDomains.has(event.domain) || exact.has(event.type)),
  };
}
