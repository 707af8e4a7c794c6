import type { CircuitBreaker } from './circuit-breaker.js';
import type { ClientCounters } from './client-counters.js';
import {
  ApiError,
  CircuitOpenError,
  CoachwireClientError,
  InsufficientBalanceError,
  MarketClosedError,
  NetworkError,
  PriceMovedError,
  TimeoutError,
} from './errors.js';
import { type HttpRequestFunction, toTransportError } from './http-transport.js';
import type { MarketQuote } from './market-types.js';
import type { ResolvedOptions } from './options.js';
import { backoffDelayMs, isRetryableStatus, parseRetryAfterMs } from './retry-policy.js';

export interface ApiRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path and query, starting with `/`. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Whether the call goes through the circuit breaker (health checks bypass it). */
  guarded?: boolean;
  /** Extra statuses returned instead of thrown (e.g. 503 for /health). */
  acceptStatus?: number;
  /** Retries for this call; GETs default to the client's setting, writes are never retried. */
  retries?: number;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Builds an ApiError from an error answer, keeping the server's code, message and request id. */
export function apiErrorFrom(response: ApiResponse): ApiError {
  let body: {
    error?: unknown;
    message?: unknown;
    code?: unknown;
    request_id?: unknown;
    balance?: unknown;
    required?: unknown;
    quote?: unknown;
  } = {};
  try {
    body = JSON.parse(response.text) as typeof body;
  } catch {
    // Not JSON (a proxy's HTML page, say): the status alone will have to do.
  }
  // `message` says what went wrong; on /api/v1 `error` is only the status text ("Not Found"), so it is the
  // fallback for a body without a message (on the legacy endpoints both hold the same sentence).
  const message =
    typeof body.message === 'string' && body.message !== ''
      ? body.message
      : typeof body.error === 'string'
        ? body.error
        : '';
  const requestId =
    typeof body.request_id === 'string' ? body.request_id : headerValue(response.headers['x-request-id']);
  const retryAfterMs = parseRetryAfterMs(response.headers['retry-after'], Date.now());
  const details = {
    requestId,
    retryAfterSeconds: retryAfterMs === undefined ? undefined : retryAfterMs / 1000,
  };
  const text = message === '' ? `HTTP ${response.status}` : message;
  // The market refusals get their own classes, so callers can catch exactly the one they handle.
  switch (body.code) {
    case 'INSUFFICIENT_BALANCE':
      return new InsufficientBalanceError(response.status, text, {
        ...details,
        ...(typeof body.balance === 'number' ? { balance: body.balance } : {}),
        ...(typeof body.required === 'number' ? { required: body.required } : {}),
      });
    case 'MARKET_CLOSED':
      return new MarketClosedError(response.status, text, details);
    case 'PRICE_MOVED':
      return new PriceMovedError(response.status, text, {
        ...details,
        ...(typeof body.quote === 'object' && body.quote !== null
          ? { quote: body.quote as MarketQuote }
          : {}),
      });
  }
  return new ApiError(
    response.status,
    typeof body.code === 'string' ? body.code : `HTTP_${response.status}`,
    text,
    details,
  );
}

const preciseTimeoutBelowMs = 2000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends one logical call: attempts through the circuit breaker, retries of idempotent requests on
 * network errors, timeouts, 429 and 5xx with full-jitter backoff, inside a total time budget.
 */
export class RequestExecutor {
  readonly #options: ResolvedOptions;
  readonly #send: HttpRequestFunction;
  readonly #breaker: CircuitBreaker;
  readonly #counters: ClientCounters;
  /** Aborted by close(): calls in flight end at once, and later calls are refused. */
  readonly #closed = new AbortController();

  constructor(
    options: ResolvedOptions,
    send: HttpRequestFunction,
    breaker: CircuitBreaker,
    counters: ClientCounters,
  ) {
    this.#options = options;
    this.#send = send;
    this.#breaker = breaker;
    this.#counters = counters;
  }

  /** Ends every call in flight (each rejects with a NetworkError) and refuses calls made afterwards. */
  close(): void {
    this.#closed.abort();
  }

  /** Resolves with 2xx, 304 or `acceptStatus` answers; throws a typed error otherwise. */
  async execute(call: ApiRequest): Promise<ApiResponse> {
    try {
      const response = await this.#attemptAll(call);
      this.#counters.apiSuccesses += 1;
      return response;
    } catch (error) {
      this.#counters.apiErrors += 1;
      throw error;
    }
  }

  async #attemptAll(call: ApiRequest): Promise<ApiResponse> {
    const options = this.#options;
    const retries = call.retries ?? (call.method === 'GET' ? options.retries : 0);
    const guarded = call.guarded ?? true;
    const budgetEnd =
      options.totalBudgetMs > 0 ? performance.now() + options.totalBudgetMs : Number.POSITIVE_INFINITY;
    for (let attempt = 0; ; attempt += 1) {
      if (this.#closed.signal.aborted) throw closedError();
      if (guarded && !this.#breaker.tryAcquire()) throw new CircuitOpenError(this.#breaker.retryAt);
      const remaining = budgetEnd - performance.now();
      const timeoutMs =
        options.timeoutMs === 0
          ? Math.max(1, Math.ceil(remaining))
          : Math.max(1, Math.min(options.timeoutMs, Math.ceil(remaining)));
      let failure: CoachwireClientError;
      let retryAfterMs: number | undefined;
      try {
        const response = await this.#attempt(
          call,
          Number.isFinite(timeoutMs) ? timeoutMs : 0,
          Number.isFinite(remaining) ? Math.max(1, Math.ceil(remaining)) : undefined,
        );
        const { status } = response;
        if (status < 500 && guarded) this.#breaker.recordSuccess();
        if (status >= 500 && guarded) this.#breaker.recordFailure();
        if ((status >= 200 && status < 300) || status === 304 || status === call.acceptStatus)
          return response;
        failure = apiErrorFrom(response);
        if (!isRetryableStatus(status)) throw failure;
        retryAfterMs = parseRetryAfterMs(response.headers['retry-after'], Date.now());
      } catch (error) {
        if (error instanceof CoachwireClientError) throw error;
        if (this.#closed.signal.aborted) throw closedError(error);
        if (guarded) this.#breaker.recordFailure();
        failure = toTransportError(error, timeoutMs);
      }
      if (attempt >= retries) throw failure;
      if (retryAfterMs !== undefined && retryAfterMs > options.maxRetryAfterMs) throw failure;
      const delay = Math.max(
        backoffDelayMs(attempt, options.baseDelayMs, options.maxDelayMs),
        retryAfterMs ?? 0,
      );
      if (performance.now() + delay >= budgetEnd) {
        throw failure instanceof TimeoutError
          ? new TimeoutError(`Retry budget of ${options.totalBudgetMs} ms exhausted: ${failure.message}`, {
              cause: failure,
            })
          : failure;
      }
      this.#options.logger.debug?.(
        {
          method: call.method,
          path: call.path,
          attempt: attempt + 1,
          delayMs: Math.round(delay),
          reason: failure.message,
        },
        'retrying Coachwire API request',
      );
      this.#counters.apiRetries += 1;
      if (delay > 0) await sleep(delay);
    }
  }

  /**
   * One request. undici's own timeouts bound the wait for the headers and each gap between body chunks; the
   * signal bounds the whole attempt by what is left of the call's budget (a body that trickles in a byte at a
   * time never trips a gap timeout), by a short timeout precisely, and by close().
   */
  async #attempt(
    call: ApiRequest,
    timeoutMs: number,
    budgetLeftMs: number | undefined,
  ): Promise<ApiResponse> {
    // The key goes with every request when set: a deployment may require it for reads too.
    const apiKey = this.#options.apiKey;
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
      ...call.headers,
    };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    const response = await this.#send(this.#options.baseUrl + call.path, {
      method: call.method,
      headers,
      ...(call.body === undefined ? {} : { body: call.body }),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: this.#attemptSignal(timeoutMs, budgetLeftMs),
    });
    const text = await response.body.text();
    return { status: response.statusCode, headers: response.headers, text };
  }

  #attemptSignal(timeoutMs: number, budgetLeftMs: number | undefined): AbortSignal {
    // undici checks its own timeouts on a ~1 s tick; short deadlines need a precise timer.
    const precise = timeoutMs > 0 && timeoutMs < preciseTimeoutBelowMs ? timeoutMs : undefined;
    const deadlines = [precise, budgetLeftMs].filter((ms): ms is number => ms !== undefined);
    if (deadlines.length === 0) return this.#closed.signal;
    return AbortSignal.any([this.#closed.signal, AbortSignal.timeout(Math.min(...deadlines))]);
  }
}

function closedError(cause?: unknown): NetworkError {
  return new NetworkError(
    'The Coachwire client is closed: close() ended this call, or it was made afterwards.',
    cause === undefined ? undefined : { cause },
  );
}
