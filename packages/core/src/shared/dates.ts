import { ValidationError } from './errors.js';

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** True for a strict `YYYY-MM-DD` that names a real calendar date (no 2026-02-30). */
export function isValidTradingDate(input: string): boolean {
  const match = DATE_PATTERN.exec(input);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

/** Validates a trading date, throwing VALIDATION with the expected form. */
export function parseTradingDate(input: string, field = 'date'): string {
  const trimmed = input.trim();
  if (!isValidTradingDate(trimmed)) {
    throw new ValidationError(`Invalid date '${trimmed}'. Use YYYY-MM-DD, a real calendar date.`, field);
  }
  return trimmed;
}

/** True when `timezone` is an IANA zone this runtime knows. */
export function isValidTimezone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/** The calendar date of `now` in `timezone` as `YYYY-MM-DD`; "today" never depends on the server's zone. */
export function tradingDateIn(timezone: string, now: Date): string {
  let formatter = formatters.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formatters.set(timezone, formatter);
  }
  return formatter.format(now);
}

/** Adds whole days to a `YYYY-MM-DD` date. */
export function addDays(tradingDate: string, days: number): string {
  const date = new Date(`${tradingDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
