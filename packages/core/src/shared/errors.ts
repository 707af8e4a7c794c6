import { randomBytes } from 'node:crypto';
import { pointCount } from './point-count.js';

/** Stable error codes; apps map each to a reply or an HTTP status exactly once. */
export type ErrorCode =
  | 'VALIDATION'
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'CONFLICT'
  | 'STORAGE_UNAVAILABLE'
  | 'RATE_LIMITED'
  | 'INSUFFICIENT_BALANCE'
  | 'MARKET_CLOSED'
  | 'PRICE_MOVED';

/** A short random id that ties a user-facing error to its log line. */
export function newErrorId(): string {
  return randomBytes(5).toString('hex');
}

/** Base of every error that may cross a package boundary; `message` is safe to show to users. */
export class CoachwireError extends Error {
  readonly code: ErrorCode;
  readonly errorId: string;
  /** Optional machine-readable details (e.g. the offending field); never secrets or SQL. */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.errorId = newErrorId();
    this.details = options.details;
  }
}

/** Bad input: a field that breaks a rule. `field` names it for API bodies and usage hints. */
export class ValidationError extends CoachwireError {
  readonly field: string | undefined;
  constructor(message: string, field?: string, details?: Record<string, unknown>) {
    super('VALIDATION', message, { details: { ...details, ...(field ? { field } : {}) } });
    this.field = field;
  }
}

export class NotFoundError extends CoachwireError {
  constructor(message: string) {
    super('NOT_FOUND', message);
  }
}

export class ForbiddenError extends CoachwireError {
  constructor(message: string) {
    super('FORBIDDEN', message);
  }
}

export class ConflictError extends CoachwireError {
  constructor(message: string, cause?: unknown) {
    super('CONFLICT', message, { cause });
  }
}

/** The database could not be opened, read or written. The message names the path and cause, never SQL. */
export class StorageUnavailableError extends CoachwireError {
  constructor(message: string, cause?: unknown) {
    super('STORAGE_UNAVAILABLE', message, { cause });
  }
}

export class RateLimitedError extends CoachwireError {
  readonly retryAfterMs: number;
  constructor(message: string, retryAfterMs: number) {
    super('RATE_LIMITED', message, { details: { retryAfterMs } });
    this.retryAfterMs = retryAfterMs;
  }
}

/** A debit larger than the account's balance; `details` carries the balance and the amount asked. */
export class InsufficientBalanceError extends CoachwireError {
  constructor(message: string, details: { balance: number; required: number }) {
    super('INSUFFICIENT_BALANCE', message, { details });
  }

  /** A member's spending beyond their balance, in the words every surface shows. */
  static forMember(balance: number, required: number): InsufficientBalanceError {
    // Grouped as every other amount a member sees ("1,010 pts"); `details` keeps the plain numbers.
    const shown = (points: number) => points.toLocaleString('en-US');
    return new InsufficientBalanceError(`You have ${pointCount(balance)}; this needs ${shown(required)}.`, {
      balance,
      required,
    });
  }
}

/** A trade on a market that no longer takes trades: past its close time, resolved or cancelled. */
export class MarketClosedError extends CoachwireError {
  constructor(message: string) {
    super('MARKET_CLOSED', message);
  }
}

/** The price moved between quote and buy, so the caller's minimum is no longer met. Nothing was traded. */
export class PriceMovedError extends CoachwireError {
  constructor(message: string, details: { minShares: number; shares: number }) {
    super('PRICE_MOVED', message, { details });
  }
}

/** The typed error for a code, message and details kept as JSON (a refusal stored under its idempotency key). */
export function reviveCoachwireError(
  code: ErrorCode,
  message: string,
  details: Readonly<Record<string, unknown>> | undefined,
): CoachwireError {
  const number = (name: string) => (typeof details?.[name] === 'number' ? (details[name] as number) : 0);
  switch (code) {
    case 'VALIDATION': {
      const { field, ...rest } = details ?? {};
      return new ValidationError(message, typeof field === 'string' ? field : undefined, rest);
    }
    case 'NOT_FOUND':
      return new NotFoundError(message);
    case 'FORBIDDEN':
      return new ForbiddenError(message);
    case 'CONFLICT':
      return new ConflictError(message);
    case 'INSUFFICIENT_BALANCE':
      return new InsufficientBalanceError(message, {
        balance: number('balance'),
        required: number('required'),
      });
    case 'MARKET_CLOSED':
      return new MarketClosedError(message);
    case 'PRICE_MOVED':
      return new PriceMovedError(message, { minShares: number('minShares'), shares: number('shares') });
    default:
      return new CoachwireError(code, message, details === undefined ? {} : { details: { ...details } });
  }
}

export function isCoachwireError(error: unknown): error is CoachwireError {
  return error instanceof CoachwireError;
}
