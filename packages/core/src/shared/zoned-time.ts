import { ValidationError } from './errors.js';

const TIME_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DAY_MS = 86_400_000;
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
 * The instant at which the clocks in `timezone` show `date` `time` ("2026-11-27", "16:00"), read the way
 * clocks are on the days they change: a time skipped when they spring forward (02:30 on 2026-03-08 in New
 * York) is the moment that far past the jump (03:30 daylight time, never the hour before it), and a time
 * shown twice when they fall back (01:30 on 2026-11-01) is the first of the two. Every zone reads the same
 * way, whichever side of UTC it is on.
 */
export function zonedWallTimeToInstant(date: string, time: string, timezone: string): Date {
  const { hour, minute } = parseWallTime(time);
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const wallAsUtc = Date.UTC(year, month - 1, day, hour, minute);
  // The offsets in force a day either side bracket any change on this date.
  const before = offsetMinutes(timezone, new Date(wallAsUtc - DAY_MS));
  const after = offsetMinutes(timezone, new Date(wallAsUtc + DAY_MS));
  const shown = [before, after]
    .map((offset) => wallAsUtc - offset * 60_000)
    .filter((instant) => wallAsUtc - offsetMinutes(timezone, new Date(instant)) * 60_000 === instant);
  if (shown.length > 0) return new Date(Math.min(...shown));
  // Skipped: the wall time read with the offset before the jump lands as far past it as the time was.
  return new Date(wallAsUtc - before * 60_000);
}
