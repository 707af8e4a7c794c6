import { ValidationError } from './errors.js';

const TIME_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;
const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** Validates a wall-clock time "HH:MM" (24-hour). */
export function parseWallTime(input: string, field = 'time'): { hour: number; minute: number } {
  const match = TIME_PATTERN.exec(input.trim());
  if (!match) throw new ValidationError(`Invalid time '${input}'. Use HH:MM, 24-hour.`, field);
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

function offsetMinutes(timezone: string, instant: Date): number {
  let formatter = offsetFormatters.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    offsetFormatters.set(timezone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(instant).map((part) => [part.type, part.value]));
  const asUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return Math.round((asUtc - instant.getTime()) / 60_000);
}

/**
 * The instant at which the clocks in `timezone` show `date` `time` ("2026-11-27", "16:00"). Two passes
 * settle the offset across a daylight-saving change.
 */
export function zonedWallTimeToInstant(date: string, time: string, timezone: string): Date {
  const { hour, minute } = parseWallTime(time);
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const wallAsUtc = Date.UTC(year, month - 1, day, hour, minute);
  let instant = wallAsUtc - offsetMinutes(timezone, new Date(wallAsUtc)) * 60_000;
  instant = wallAsUtc - offsetMinutes(timezone, new Date(instant)) * 60_000;
  return new Date(instant);
}
