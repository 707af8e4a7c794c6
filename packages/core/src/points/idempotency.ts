import {
  type CoachwireError,
  ConflictError,
  type ErrorCode,
  isCoachwireError,
  reviveCoachwireError,
} from '../shared/errors.js';

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

/**
 * A refusal kept as a request's result. Stripe keeps the result of every request that began to run, errors
 * included: a bet refused for want of points stays refused under its key, and a retry after the member has
 * sold something does not place it. A request refused for its own input before it ran (a 400) keeps nothing,
 * so the caller may correct it and send it again under the same key.
 */
export interface StoredRefusal {
  readonly refused: {
    readonly code: ErrorCode;
    readonly message: string;
    readonly details?: Readonly<Record<string, unknown>> | undefined;
  };
}

/** What the database could not do, or a caller's pace, says nothing about the request: never kept. */
const NOT_KEPT: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['STORAGE_UNAVAILABLE', 'RATE_LIMITED']);

/** The refusal to keep for an error a decision threw, or undefined when the error is not one to keep. */
export function refusalToStore(error: unknown): StoredRefusal | undefined {
  if (!isCoachwireError(error) || NOT_KEPT.has(error.code)) return undefined;
  return {
    refused: {
      code: error.code,
      message: error.message,
      ...(error.details === undefined ? {} : { details: error.details }),
    },
  };
}

export function isStoredRefusal(result: unknown): result is StoredRefusal {
  if (result === null || typeof result !== 'object' || !('refused' in result)) return false;
  const { refused } = result as { refused: unknown };
  return refused !== null && typeof refused === 'object' && 'code' in refused && 'message' in refused;
}

/** The error a stored refusal stands for, to throw again. */
export function storedRefusalError(refusal: StoredRefusal): CoachwireError {
  const { code, message, details } = refusal.refused;
  return reviveCoachwireError(code, message, details);
}
