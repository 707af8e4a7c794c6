import { createHash } from 'node:crypto';

/** JSON with object keys sorted, so two equal requests always serialise to the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, child]) => child !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([key, child]) => [key, sortKeys(child)]));
  }
  return value;
}

/**
 * The fingerprint stored beside an idempotency key: SHA-256 of the canonical request. The same key with a
 * different fingerprint is a different request (Stripe's rule), so it is refused as a conflict.
 */
export function requestFingerprint(operation: string, request: unknown): string {
  return createHash('sha256').update(canonicalJson({ operation, request })).digest('hex');
}
