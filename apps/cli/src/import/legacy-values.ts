import { isUtf8 } from 'node:buffer';
import {
  type Coach,
  isStorableText,
  isValidTradingDate,
  isWellFormedText,
  normalizeCoachToken,
} from '@coachwire/core';

// Checks shared by both legacy formats. Each returns the normalised value or a problem phrase for the report.

export type Checked<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problem: string };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const bad = <T>(problem: string): Checked<T> => ({ ok: false, problem });

// An unpaired surrogate (from a JSON `\ud83d` escape) has no UTF-8 form; such a row is reported, not stored.
const notStorable = <T>(what: string, value: string): Checked<T> =>
  bad(
    isWellFormedText(value)
      ? `${what} contains a NUL character (U+0000), which cannot be stored`
      : `${what} contains an unpaired UTF-16 surrogate, which is not valid Unicode text`,
  );

// The old file gives a BLOB, or text whose bytes are not UTF-8, as bytes (see readLegacySqlite). Python's
// sqlite3 could not read the latter either; decoding it here would store replacement characters instead.
const notText = <T>(what: string, bytes: Uint8Array): Checked<T> =>
  bad(
    isUtf8(bytes)
      ? `${what} is a BLOB, not text`
      : `${what} is not valid UTF-8 (${bytes.length} bytes in another encoding, such as Windows-1252)`,
  );

const LEGACY_TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * A legacy timestamp as ISO-8601 UTC. SQLite's CURRENT_TIMESTAMP (`2024-01-15 13:30:00`) is UTC, and the
 * old service ran with TZ=UTC, so times without an offset are read as UTC. Digits past milliseconds are dropped.
 */
export function legacyTimestamp(value: unknown, what: string): Checked<string> {
  if (value instanceof Uint8Array) return notText(what, value);
  if (typeof value === 'number' && Number.isFinite(value)) {
    // Python's time.time() gives seconds; JavaScript's Date.now() milliseconds.
    return ok(new Date(value < 1e12 ? value * 1000 : value).toISOString());
  }
  if (typeof value !== 'string') return bad(`${what} is missing`);
  const match = LEGACY_TIMESTAMP.exec(value.trim());
  if (!match) return bad(`${what} '${value}' is not a date and time`);
  const [, date, time, fraction = '', zone = 'Z'] = match;
  const offset = zone === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const parsed = new Date(`${date}T${time}${fraction.slice(0, 4)}${offset}`);
  if (Number.isNaN(parsed.getTime()) || !isValidTradingDate(date!))
    return bad(`${what} '${value}' is not a date and time`);
  return ok(parsed.toISOString());
}

/** `coach_d`, `D` or `d` → the configured coach id, or a problem naming the known ones. */
export function legacyCoach(value: unknown, coaches: readonly Coach[]): Checked<string> {
  if (value instanceof Uint8Array) return notText('coach', value);
  if (typeof value !== 'string' || value.trim() === '') return bad('coach is missing');
  const id = normalizeCoachToken(value);
  if (!coaches.some((coach) => coach.id === id))
    return bad(`unknown coach '${value}' (configured: ${coaches.map((coach) => coach.id).join(', ')})`);
  return ok(id);
}

export function legacyDate(value: unknown): Checked<string> {
  if (value instanceof Uint8Array) return notText('date', value);
  if (typeof value !== 'string' || !isValidTradingDate(value.trim()))
    return bad(`bad date '${String(value)}' (expected YYYY-MM-DD, a real calendar date)`);
  return ok(value.trim());
}

/** Plan text is kept exactly as stored (no trimming), so the import can prove nothing changed. */
export function legacyText(value: unknown, what: string): Checked<string> {
  if (value instanceof Uint8Array) return notText(what, value);
  if (typeof value !== 'string' || value.trim() === '') return bad(`${what} is empty`);
  if (!isStorableText(value)) return notStorable(what, value);
  return ok(value);
}

export function legacyName(value: unknown, what: string): Checked<string> {
  if (value instanceof Uint8Array) return notText(what, value);
  if (typeof value !== 'string' || value.trim() === '') return bad(`${what} is missing`);
  if (!isStorableText(value)) return notStorable(what, value);
  return ok(value);
}

/** The channel name, or null when the old system kept none. */
export function legacyChannel(value: unknown): Checked<string | null> {
  if (value instanceof Uint8Array) return notText('channel', value);
  if (typeof value !== 'string' || value === '') return ok(null);
  if (!isStorableText(value)) return notStorable('channel', value);
  return ok(value);
}

/** A chart link must be an http(s) URL; its filename defaults to the last path segment. */
export function legacyChart(url: unknown, filename: unknown): Checked<{ url: string; filename: string }> {
  if (url instanceof Uint8Array) return notText('a chart URL', url);
  if (filename instanceof Uint8Array) return notText('a chart filename', filename);
  if (typeof url !== 'string') return bad('a chart has no URL');
  if (!isStorableText(url)) return notStorable('a chart URL', url);
  if (typeof filename === 'string' && !isStorableText(filename))
    return notStorable('a chart filename', filename);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return bad(`chart URL '${url}' is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return bad(`chart URL '${url}' is not http(s)`);
  const fromUrl = decodeURIComponent(parsed.pathname.split('/').pop() ?? '') || 'chart';
  return ok({ url, filename: typeof filename === 'string' && filename !== '' ? filename : fromUrl });
}

/** Collects the problems of several checks; the values when all passed. */
export function allChecked<T extends Record<string, Checked<unknown>>>(
  checks: T,
): { values: { [K in keyof T]: T[K] extends Checked<infer V> ? V : never } } | { problems: string[] } {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [key, check] of Object.entries(checks)) {
    if (check.ok) values[key] = check.value;
    else problems.push(check.problem);
  }
  if (problems.length > 0) return { problems };
  return { values: values as { [K in keyof T]: T[K] extends Checked<infer V> ? V : never } };
}
