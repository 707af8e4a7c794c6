// Times are shown in the configured timezone (from /api/v1/calendar), never the viewer's machine zone:
// "today" and "posted at 9:31" must mean the same thing in the dashboard as in Discord.

const LOCALE = 'en-US';
const dayFormatters = new Map<string, Intl.DateTimeFormat>();
const clockFormatters = new Map<string, Intl.DateTimeFormat>();
const fullFormatters = new Map<string, Intl.DateTimeFormat>();

function cached(
  cache: Map<string, Intl.DateTimeFormat>,
  timezone: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  let formatter = cache.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(LOCALE, { timeZone: timezone, ...options });
    cache.set(timezone, formatter);
  }
  return formatter;
}

/** The calendar date (YYYY-MM-DD) of an instant in a timezone. */
export function dateIn(timezone: string, instant: Date): string {
  const parts = cached(dayFormatters, timezone, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(instant);
  const part = (type: string) => parts.find((entry) => entry.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** Whole days from `from` to `to` (both YYYY-MM-DD). */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export interface TimeDescription {
  /** "just now", "5 minutes ago", "3 hours ago", "yesterday at 11:30 PM", "Nov 17 at 9:31 AM". */
  readonly relative: string;
  /** The full local time with its zone, e.g. "Fri, Nov 20, 2026, 10:00 AM EST". */
  readonly absolute: string;
}

/** How long ago `iso` was, as seen from `now` in `timezone` (calendar days counted in that zone). */
export function describeTime(iso: string, now: Date, timezone: string): TimeDescription {
  const instant = new Date(iso);
  const absolute = cached(fullFormatters, timezone, {
    weekday: 'short',
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(instant);
  const clock = cached(clockFormatters, timezone, { hour: 'numeric', minute: '2-digit' }).format(instant);
  const seconds = Math.round((now.getTime() - instant.getTime()) / 1000);
  const days = daysBetween(dateIn(timezone, instant), dateIn(timezone, now));
  let relative: string;
  if (seconds < 0)
    relative = days === 0 ? `today at ${clock}` : `${shortDate(instant, timezone, now)} at ${clock}`;
  else if (seconds < 45) relative = 'just now';
  else if (seconds < 3600) relative = plural(Math.max(1, Math.round(seconds / 60)), 'minute');
  else if (days === 0) relative = plural(Math.floor(seconds / 3600), 'hour');
  else if (days === 1) relative = `yesterday at ${clock}`;
  else relative = `${shortDate(instant, timezone, now)} at ${clock}`;
  return { relative, absolute };
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'} ago`;
}

function shortDate(instant: Date, timezone: string, now: Date): string {
  const sameYear = dateIn(timezone, instant).slice(0, 4) === dateIn(timezone, now).slice(0, 4);
  return new Intl.DateTimeFormat(LOCALE, {
    timeZone: timezone,
    month: 'short',
    day: 'numeric',
    ...(sameYear ? {} : { year: 'numeric' }),
  }).format(instant);
}

/** A trading date for headings: "Friday, November 20, 2026". */
export function formatTradingDate(date: string): string {
  return new Intl.DateTimeFormat(LOCALE, {
    timeZone: 'UTC',
    weekday: 'long',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
  }).format(new Date(`${date}T12:00:00Z`));
}

/** True for a real calendar date written YYYY-MM-DD: not 2026-02-31, 2026-13-45 or 2026-1-5. */
export function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const instant = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(instant.getTime()) && instant.toISOString().slice(0, 10) === text;
}

/** Adds whole days to a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + days);
  return next.toISOString().slice(0, 10);
}

/** Time left until `iso` from `now`: "closes in 3 h", "closed". */
export function describeCountdown(iso: string, now: Date): string {
  const seconds = Math.round((Date.parse(iso) - now.getTime()) / 1000);
  if (!Number.isFinite(seconds)) return '';
  if (seconds <= 0) return 'closed';
  if (seconds < 3600) return `closes in ${Math.max(1, Math.round(seconds / 60))} min`;
  if (seconds < 48 * 3600) return `closes in ${Math.round(seconds / 3600)} h`;
  return `closes in ${Math.round(seconds / 86_400)} days`;
}
