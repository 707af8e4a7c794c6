import type { HttpRequestFunction } from './http-transport.js';

/** pino-compatible logger; any subset of levels may be given. */
export interface ClientLogger {
  debug?(obj: object, msg?: string): void;
  info?(obj: object, msg?: string): void;
  warn?(obj: object, msg?: string): void;
  error?(obj: object, msg?: string): void;
}

/** Source of the current time in epoch milliseconds; injectable so tests can move time. */
export interface Clock {
  now(): number;
}

export interface CacheOptions {
  /** How long a plan is served without asking the API (default 3600). */
  ttlSeconds?: number;
  /** LRU bound (default 100). */
  maxEntries?: number;
  /** How long a "no plan yet" answer is served (default 30). */
  negativeTtlSeconds?: number;
}

export interface RetryOptions {
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A `Retry-After` longer than this ends the retries instead of being waited for (default 30000). */
  maxRetryAfterMs?: number;
  /** Wall time allowed over all attempts and waits of one call (default 10000). */
  totalBudgetMs?: number;
}

export interface CircuitBreakerOptions {
  failureThreshold?: number;
  cooldownMs?: number;
}

export interface ClientOptions {
  /** Root of the Coachwire API, e.g. `http://localhost:8000`. */
  baseUrl: string;
  /** Per-attempt timeout (default 10000). */
  timeoutMs?: number;
  /** Retries after the first attempt of idempotent requests (default 3). */
  retries?: number;
  /** Cache settings, or `false` to disable caching of legacy answers and ETags. */
  cache?: CacheOptions | false;
  /** Bearer key for writes; never logged. */
  apiKey?: string;
  logger?: ClientLogger;
  /** Replaces undici's `request`, whose shape it has (see README); the default uses one keep-alive Agent. */
  httpRequest?: HttpRequestFunction;
  /** @deprecated Renamed `httpRequest`: it has the shape of undici's `request`, not of `fetch`. */
  fetchImpl?: HttpRequestFunction;
  /** Legacy methods throw typed errors instead of resolving to the fallback shape. */
  strict?: boolean;
  clock?: Clock;
  circuitBreaker?: CircuitBreakerOptions;
  retry?: RetryOptions;
}

/** Options with every default filled in. */
export interface ResolvedOptions {
  baseUrl: string;
  timeoutMs: number;
  retries: number;
  cacheEnabled: boolean;
  ttlMs: number;
  negativeTtlMs: number;
  maxEntries: number;
  apiKey: string | undefined;
  logger: ClientLogger;
  httpRequest: HttpRequestFunction | undefined;
  strict: boolean;
  clock: Clock;
  failureThreshold: number;
  cooldownMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
  totalBudgetMs: number;
}

const systemClock: Clock = { now: Date.now };

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new TypeError(`${name} must be a non-negative number`);
  return value;
}

/**
 * A Bearer token is visible ASCII. A key read from a file or a variable with its line break (or with a space)
 * would make every request fail as a network error, be retried, and open the circuit: refused here instead,
 * without repeating the key.
 */
function apiKeyOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[\x21-\x7e]*$/.test(value)) {
    throw new TypeError(
      'apiKey must be printable ASCII without spaces or line breaks (a trailing newline from the file or variable it came from?)',
    );
  }
  return value;
}

/** Fills defaults and validates numbers once, so the hot path never checks options again. */
export function resolveOptions(options: ClientOptions): ResolvedOptions {
  if (typeof options.baseUrl !== 'string' || !/^https?:\/\//.test(options.baseUrl)) {
    throw new TypeError('baseUrl must be an http(s) URL');
  }
  const cache = options.cache === false ? undefined : (options.cache ?? {});
  const maxEntries = cache ? nonNegative('cache.maxEntries', cache.maxEntries, 100) : 0;
  return {
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    timeoutMs: nonNegative('timeoutMs', options.timeoutMs, 10_000),
    retries: Math.floor(nonNegative('retries', options.retries, 3)),
    cacheEnabled: cache !== undefined && maxEntries > 0,
    ttlMs: nonNegative('cache.ttlSeconds', cache?.ttlSeconds, 3600) * 1000,
    negativeTtlMs: nonNegative('cache.negativeTtlSeconds', cache?.negativeTtlSeconds, 30) * 1000,
    maxEntries,
    apiKey: apiKeyOf(options.apiKey),
    logger: options.logger ?? {},
    httpRequest: options.httpRequest ?? options.fetchImpl,
    strict: options.strict ?? false,
    clock: options.clock ?? systemClock,
    failureThreshold: Math.max(
      1,
      nonNegative('circuitBreaker.failureThreshold', options.circuitBreaker?.failureThreshold, 5),
    ),
    cooldownMs: nonNegative('circuitBreaker.cooldownMs', options.circuitBreaker?.cooldownMs, 30_000),
    baseDelayMs: nonNegative('retry.baseDelayMs', options.retry?.baseDelayMs, 200),
    maxDelayMs: nonNegative('retry.maxDelayMs', options.retry?.maxDelayMs, 5_000),
    maxRetryAfterMs: nonNegative('retry.maxRetryAfterMs', options.retry?.maxRetryAfterMs, 30_000),
    totalBudgetMs: nonNegative('retry.totalBudgetMs', options.retry?.totalBudgetMs, 10_000),
  };
}
