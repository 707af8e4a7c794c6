import type { MarketQuote } from './market-types.js';

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
  /** On errors of placeBet, sell and createMarket: the key sent, so a later retry can reuse it. */
  idempotencyKey?: string;

  constructor(code: ClientErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
  }
}

/** What an API error answer said besides its code and message. */
export interface ApiErrorDetails {
  requestId?: string | undefined;
  retryAfterSeconds?: number | undefined;
}

/** The API answered with an error status; `code` and `requestId` come from its JSON body or headers. */
export class ApiError extends CoachwireClientError {
  readonly status: number;
  readonly requestId: string | undefined;
  /** Seconds the server asked us to wait (429/503), when it said so. */
  readonly retryAfterSeconds: number | undefined;

  constructor(status: number, code: string, message: string, details: ApiErrorDetails = {}) {
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
  /** The last failure that kept the circuit open (e.g. `connect ECONNREFUSED 127.0.0.1:5000`, `HTTP 503`). */
  readonly lastFailure: string | undefined;

  constructor(retryAt: number, lastFailure?: string) {
    super(
      'CIRCUIT_OPEN',
      `Circuit breaker is open: the Coachwire API failed repeatedly${lastFailure === undefined ? '' : ` (last: ${lastFailure})`}`,
    );
    this.retryAt = retryAt;
    this.lastFailure = lastFailure;
  }
}

/** INSUFFICIENT_BALANCE: the user cannot afford the bet. Nothing was traded. */
export class InsufficientBalanceError extends ApiError {
  /** The user's balance and the points asked, when the API said. */
  readonly balance: number | undefined;
  readonly required: number | undefined;

  constructor(
    status: number,
    message: string,
    details: ApiErrorDetails & { balance?: number; required?: number },
  ) {
    super(status, 'INSUFFICIENT_BALANCE', message, details);
    this.balance = details.balance;
    this.required = details.required;
  }
}

/** MARKET_CLOSED: the market is past its close time, resolved or cancelled. Nothing was traded. */
export class MarketClosedError extends ApiError {
  constructor(status: number, message: string, details: ApiErrorDetails = {}) {
    super(status, 'MARKET_CLOSED', message, details);
  }
}

/** PRICE_MOVED: the minimum asked is no longer met; `quote` is what the same trade gives now. */
export class PriceMovedError extends ApiError {
  readonly quote: MarketQuote | undefined;

  constructor(status: number, message: string, details: ApiErrorDetails & { quote?: MarketQuote }) {
    super(status, 'PRICE_MOVED', message, details);
    this.quote = details.quote;
  }
}
