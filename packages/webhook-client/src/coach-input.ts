import { CoachwireClientError } from './errors.js';

const normalizedCoaches = new Map<string, string>();
const coachPattern = /^[a-z0-9-]+$/;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Accepts `d`, `D` and `coach_d` alike and returns `d`; undefined when the input cannot be a coach id.
 * Results are memoised because agents ask for the same few coaches millions of times.
 */
export function normalizeCoach(coach: string): string | undefined {
  const known = normalizedCoaches.get(coach);
  if (known !== undefined) return known;
  if (typeof coach !== 'string') return undefined;
  let id = coach.trim().toLowerCase();
  if (id.startsWith('coach_')) id = id.slice('coach_'.length);
  if (!coachPattern.test(id)) return undefined;
  if (normalizedCoaches.size < 1000) normalizedCoaches.set(coach, id);
  return id;
}

/** Rejects anything but YYYY-MM-DD before it reaches a URL. */
export function assertTradingDate(date: string | undefined): void {
  if (date !== undefined && (typeof date !== 'string' || !datePattern.test(date))) {
    throw new CoachwireClientError('INVALID_ARGUMENT', `Invalid date '${String(date)}': expected YYYY-MM-DD`);
  }
}

/** Like normalizeCoach, but throws for the v1 methods that report errors by throwing. */
export function requireCoach(coach: string): string {
  const id = normalizeCoach(coach);
  if (id === undefined)
    throw new CoachwireClientError('INVALID_ARGUMENT', `Invalid coach '${String(coach)}'`);
  return id;
}
