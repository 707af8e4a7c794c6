/** Full-jitter exponential backoff: a uniform draw in [0, min(max, base * 2^attempt)]. */
export function backoffDelayMs(attempt: number, baseDelayMs: number, maxDelayMs: number): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
  return Math.random() * ceiling;
}

/** Parses `Retry-After` (delta seconds or an HTTP date) into milliseconds; undefined when absent or bad. */
export function parseRetryAfterMs(header: string | string[] | undefined, now: number): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Statuses worth another attempt of an idempotent request. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}
