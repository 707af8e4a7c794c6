import { ConflictError } from '../shared/errors.js';

/** Idempotency records are kept at least this long, so a retry within a week returns the first result. */
export const IDEMPOTENCY_RETENTION_DAYS = 7;

/** A stored idempotency record: the request's fingerprint and the first result, as JSON. */
export interface IdempotencyRecord {
  readonly fingerprint: string;
  readonly resultJson: string;
}

/**
 * Stripe's rule: the same key with the same request returns the first result again; the same key with a
 * different request is a conflict, and nothing is done. The message does not quote the key: callers store a
 * derived one (the API scopes each client's key), which the user never sent.
 */
export function replayStoredResult<R>(record: IdempotencyRecord, fingerprint: string): R {
  if (record.fingerprint !== fingerprint) {
    throw new ConflictError(
      'This idempotency key was already used for a different request. Use a new key for a new request.',
    );
  }
  return JSON.parse(record.resultJson) as R;
}

/**
 * Validates an idempotency key: a string of 1–200 visible ASCII characters. The type check matters to callers
 * from plain JavaScript: `RegExp.test` turns a missing key into the text "undefined", which would pass.
 */
export function isValidIdempotencyKey(key: unknown): key is string {
  return typeof key === 'string' && /^[\x21-\x7e]{1,200}$/.test(key);
}
