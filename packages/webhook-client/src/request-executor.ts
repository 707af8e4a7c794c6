import type { CircuitBreaker } from './circuit-breaker.js';
import type { ClientCounters } from './client-counters.js';
import {
  ApiError,
  CircuitOpenError,
  type CoachwireClientError,
  InsufficientBalanceError,
  MarketClosedError,
  NetworkError,
  PriceMovedError,
  TimeoutError,
} from './errors.js';
import { type HttpRequestFunction, type HttpResponseBody, toTransportError } from './http-transport.js';
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
  /**
   * The caller's cancellation: it ends the attempt in flight and any wait between attempts, and the call
   * rejects with its reason. An abort says nothing about the server, so the breaker does not count it.
   */
  signal?: AbortSignal | undefined;
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

/**
 * Waits `ms`, or less if `closing` or `cancel` aborts first: neither close() nor the caller's signal may have
 * to wait out a backoff or a Retry-After. Both listeners go when it ends, so a long-lived signal keeps none.
 */
const sleep = (ms: number, closing: AbortSignal, cancel: AbortSignal | undefined) =>
  new Promise<void>((resolve) => {
    if (closing.aborted || cancel?.aborted) return resolve();
    const wake = () => {
      clearTimeout(timer);
      closing.removeEventListener('abort', wake);
      cancel?.removeEventListener('abort', wake);
      resolve();
    };
    const timer = setTimeout(wake, ms);
    closing.addEventListener('abort', wake, { once: true });
    cancel?.addEventListener('abort', wake, { once: true });
  });

/**
 * Sends one logical call: attempts through the circuit breaker, retries of idempotent requests on
 * network errors, timeouts, 429 and 5xx with full-jitter backoff, inside a total time budget.
 */
export class RequestExecutor {
  readonly #options: ResolvedOptions;
  readonly #send: HttpRequestFunction;
  readonly #breaker: CircuitBreaker;
  readonly #counters: ClientCounters;
  /** Set by close(): later calls are refused, and the calls it ended say why. */
  #closed = false;
  /** Aborted by close(), which ends the waits between attempts. */
  readonly #closing = new AbortController();
  readonly #watchdog = new BodyWatchdog();

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

  /** Refuses calls made from now on; the transport's close ends those in flight, which then say why. */
  close(): void {
    this.#closed = true;
    this.#closing.abort();
  }

  /** Resolves with 2xx, 304 or `acceptStatus` answers; throws a typed error otherwise. */
  async execute(call: ApiRequest): Promise<ApiResponse> {
    try {
      const response = await this.#attemptAll(call);
      this.#counters.apiSuccesses += 1;
      return response;
    } catch (error) {
      // A call its caller cancelled is neither: the API said nothing.
      if (!(call.signal?.aborted && error === call.signal.reason)) this.#counters.apiErrors += 1;
      throw error;
    }
  }

  async #attemptAll(call: ApiRequest): Promise<ApiResponse> {
    const options = this.#options;
    const retries = call.retries ?? (call.method === 'GET' ? options.retries : 0);
    const guarded = call.guarded ?? true;
    const budgetEnd =
      options.totalBudgetMs > 0 ? performance.now() + options.totalBudgetMs : Number.POSITIVE_INFINITY;
    const cancel = call.signal;
    for (let attempt = 0; ; attempt += 1) {
      if (this.#closed) throw closedError();
      cancel?.throwIfAborted();
      if (guarded && !this.#breaker.tryAcquire())
        throw new CircuitOpenError(this.#breaker.retryAt, this.#breaker.lastFailure);
      // In half-open only the one trial is let through: this attempt is it.
      const trial = guarded && this.#breaker.state === 'half-open';
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
          budgetEnd,
          trial,
        );
        const { status } = response;
        if (status < 500 && guarded) this.#breaker.recordSuccess();
        if (status >= 500 && guarded) this.#breaker.recordFailure(`HTTP ${status}`);
        if ((status >= 200 && status < 300) || status === 304 || status === call.acceptStatus)
          return response;
        failure = apiErrorFrom(response);
        if (!isRetryableStatus(status)) throw failure;
        retryAfterMs = parseRetryAfterMs(response.headers['retry-after'], Date.now());
      } catch (error) {
        // The API's refusal, thrown above once the breaker has heard of it. Anything else (a timeout of the
        // body's budget included) is a failed attempt: a half-open trial must report it, or it never ends.
        if (error instanceof ApiError) throw error;
        if (this.#closed) throw closedError(error);
        // The caller gave up: not the server's failure (a trial freed its slot when the abort came).
        if (cancel?.aborted) throw cancel.reason;
        failure = toTransportError(error, timeoutMs);
        if (guarded) this.#breaker.recordFailure(failure.message);
      }
      if (attempt >= retries) throw failure;
      // No further attempt for a caller who has given up meanwhile.
      cancel?.throwIfAborted();
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
      if (delay > 0) await sleep(delay, this.#closing.signal, cancel);
    }
  }

  /**
   * One request. undici's own timeouts bound the wait for the headers (never past the budget: `timeoutMs` is
   * what is left of it at most) and each gap between body chunks; a body that trickles in a byte at a time
   * trips neither, so reading it is bounded by what is left of the call's budget too.
   */
  async #attempt(
    call: ApiRequest,
    timeoutMs: number,
    budgetEnd: number,
    trial: boolean,
  ): Promise<ApiResponse> {
    // The key goes with every request when set: a deployment may require it for reads too.
    const apiKey = this.#options.apiKey;
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
      ...call.headers,
    };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    // undici checks its own timeouts on a ~1 s tick; short deadlines need a precise timer. A caller's own
    // transport also gets close()'s signal: close() ends the default transport's requests by destroying its
    // Agent, and cannot reach another's any other way. Either transport gets the caller's signal.
    const precise = timeoutMs > 0 && timeoutMs < preciseTimeoutBelowMs;
    const closing = this.#options.httpRequest === undefined ? undefined : this.#closing.signal;
    const ends = closing === undefined ? [] : [closing];
    if (call.signal !== undefined) ends.push(call.signal);
    const { signal, release } =
      ends.length === 0
        ? { signal: precise ? AbortSignal.timeout(timeoutMs) : undefined, release: () => {} }
        : abortedByAnyOrDeadline(ends, precise ? timeoutMs : undefined);
    // An aborted half-open trial says nothing about the server: its slot is freed the moment the caller gives
    // up (before the call rejects), so a call made right after the rejection is the next trial.
    const freeTrial = () => this.#breaker.releaseTrial();
    const cancel = trial ? call.signal : undefined;
    cancel?.addEventListener('abort', freeTrial, { once: true });
    try {
      const response = await this.#send(this.#options.baseUrl + call.path, {
        method: call.method,
        headers,
        ...(call.body === undefined ? {} : { body: call.body }),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        ...(signal === undefined ? {} : { signal }),
      });
      const text = await this.#watchdog.read(response.body, budgetEnd);
      return { status: response.statusCode, headers: response.headers, text };
    } finally {
      cancel?.removeEventListener('abort', freeTrial);
      release();
    }
  }
}

/**
 * A signal that aborts when one of `ends` does (with its reason: close()'s, or the caller's), or after
 * `timeoutMs` (with the TimeoutError AbortSignal.timeout gives), and the release that detaches it. Not
 * AbortSignal.any: on Node 20 a long-lived signal (close()'s, or a caller's reused for every call) keeps an
 * entry for every signal ever derived from it, so memory grew with every request; listeners removed on
 * release leave nothing behind.
 */
function abortedByAnyOrDeadline(
  ends: readonly AbortSignal[],
  timeoutMs: number | undefined,
): { signal: AbortSignal; release: () => void } {
  const attempt = new AbortController();
  const listeners = ends.map((end) => {
    const onAbort = () => attempt.abort(end.reason);
    if (end.aborted) onAbort();
    else end.addEventListener('abort', onAbort, { once: true });
    return { end, onAbort };
  });
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(
          () => attempt.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
          timeoutMs,
        ).unref();
  return {
    signal: attempt.signal,
    release: () => {
      clearTimeout(timer);
      for (const { end, onAbort } of listeners) end.removeEventListener('abort', onAbort);
    },
  };
}

/** How often bodies still being read are checked against their call's budget. */
const watchIntervalMs = 100;

/**
 * Destroys answer bodies still being read past their call's budget, which fails their `text()` with a
 * TimeoutError. One interval timer serves every read in flight (a timer per call cost about a tenth of the
 * client's throughput in the client bench), and it stops once no read is left. A transport whose bodies
 * cannot be destroyed keeps only its own timeouts.
 */
class BodyWatchdog {
  readonly #reads = new Set<{ readonly deadline: number; readonly body: HttpResponseBody }>();
  #timer: NodeJS.Timeout | undefined;

  async read(body: HttpResponseBody, deadline: number): Promise<string> {
    if (!Number.isFinite(deadline) || body.destroy === undefined) return body.text();
    const read = { deadline, body };
    this.#reads.add(read);
    this.#timer ??= setInterval(() => this.#sweep(), watchIntervalMs).unref();
    try {
      return await body.text();
    } finally {
      this.#reads.delete(read);
    }
  }

  #sweep(): void {
    if (this.#reads.size === 0) {
      clearInterval(this.#timer);
      this.#timer = undefined;
      return;
    }
    const now = performance.now();
    for (const read of this.#reads) {
      if (read.deadline > now) continue;
      this.#reads.delete(read);
      read.body.destroy?.(new TimeoutError("The answer's body did not arrive within the call's time budget"));
    }
  }
}

/** What a call ended or refused by close() rejects with. */
export function closedError(cause?: unknown): NetworkError {
  return new NetworkError(
    'The Coachwire client is closed: close() ended this call, or it was made afterwards.',
    cause === undefined ? undefined : { cause },
  );
}
