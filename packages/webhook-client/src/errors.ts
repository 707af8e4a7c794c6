/** Codes carried by every client error; API errors carry the server's code instead (e.g. VALIDATION). */
export type ClientErrorCode =
  | 'TIMEOUT'
  | 'NETWORK'
  | 'CIRCUIT_OPEN'
  | 'CONFIGURATION'
  | 'INVALID_ARGUMENT'
  | string;

/** Base class of every error this client throws, so callers can catch them all with one `instanceof`. */
export class CoachwireClientError extends Error {
  readonly code: ClientErrorCode;

  constructor(code: ClientErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
  }
}

/** The API answered with an error status; `code` and `requestId` come from its JSON body or headers. */
export class ApiError extends CoachwireClientError {
  readonly status: number;
  readonly requestId: string | undefined;
  /** Seconds the server asked us to wait (429/503), when it said so. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    status: number,
    code: string,
    message: string,
    details: { requestId?: string | undefined; retryAfterSeconds?: number | undefined } = {},
  ) {
    super(code, message);
    this.status = status;
    this.requestId = details.requestId;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

/** One attempt (or the whole retry budget) ran out of time. */
export class TimeoutError extends CoachwireClientError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('TIMEOUT', message, options);
  }
}

/** The connection failed before an HTTP answer arrived (refused, reset, DNS...). */
export class NetworkError extends CoachwireClientError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('NETWORK', message, options);
  }
}

/** The circuit breaker is open: the API failed repeatedly, so the call was not attempted. */
export class CircuitOpenError extends CoachwireClientError {
  /** Epoch milliseconds at which a trial request will be allowed again. */
  readonly retryAt: number;

  constructor(retryAt: number) {
    super('CIRCUIT_OPEN', 'Circuit breaker is open: the Coachwire API failed repeatedly');
    this.retryAt = retryAt;
  }
}
