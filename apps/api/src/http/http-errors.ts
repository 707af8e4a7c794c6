import type { ErrorCode } from '@coachwire/core';

/** HTTP status of each core error code; the single place the mapping lives. */
export const STATUS_OF_CODE: Readonly<Record<ErrorCode, number>> = {
  VALIDATION: 400,
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  STORAGE_UNAVAILABLE: 503,
  // Well-formed requests the ledger or the market's state refuses.
  INSUFFICIENT_BALANCE: 409,
  MARKET_CLOSED: 409,
  PRICE_MOVED: 409,
};

/** Errors that are about HTTP rather than the domain (authentication, a wrong method, too many streams). */
export type HttpErrorCode = 'UNAUTHORIZED' | 'METHOD_NOT_ALLOWED' | 'RATE_LIMITED' | 'SERVICE_UNAVAILABLE';

/** An error the API itself raises; its message is safe to show. */
export class HttpError extends Error {
  readonly statusCode: number;
  readonly code: HttpErrorCode;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    statusCode: number,
    code: HttpErrorCode,
    message: string,
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
    this.statusCode = statusCode;
    this.code = code;
    this.headers = headers;
  }
}

/** 401 with the challenge a Bearer-token client expects. */
export function unauthorized(message: string): HttpError {
  return new HttpError(401, 'UNAUTHORIZED', message, { 'www-authenticate': 'Bearer realm="coachwire"' });
}

/**
 * 405 with the Allow header RFC 9110 requires: the path exists, the method does not. `method` is one the
 * router accepted, so it is safe to repeat; the path is not echoed.
 */
export function methodNotAllowed(method: string, allow: string): HttpError {
  return new HttpError(
    405,
    'METHOD_NOT_ALLOWED',
    `This path does not answer ${method}; it answers ${allow}. See /docs for the routes.`,
    { allow },
  );
}
