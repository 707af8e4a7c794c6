import type { ClientCounters } from './client-counters.js';
import { assertTradingDate, normalizeCoach } from './coach-input.js';
import { deepFreeze } from './deep-freeze.js';
import { CoachwireClientError } from './errors.js';
import type { ResolvedOptions } from './options.js';
import type { RequestExecutor } from './request-executor.js';
import type { CacheEntry, ResponseCache } from './response-cache.js';
import { SharedCalls } from './shared-calls.js';
import type { CallOptions, LegacyCoachPlan, LegacyCoachPlanMap } from './types.js';

const allCoachesKey = 'all';
/** The longest a dateless (server's "today") answer is served without revalidation. */
const datelessTtlMs = 60_000;

function isNoPlanAnswer(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  const plan = (value as { plan?: unknown }).plan;
  if (typeof plan === 'string') return plan.startsWith('No plan available');
  // The `all` map: empty means no coach has posted yet.
  return plan === undefined && Object.keys(value).length === 0;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The legacy endpoints behind `fetchCoachPlan` / `fetchAllCoachPlans`: cached (TTL + LRU, negative TTL,
 * ETag revalidation, stale-if-error), coalesced, and resolving to the old Python client's fallback shapes.
 */
export class LegacyPlanReader {
  readonly #options: ResolvedOptions;
  readonly #executor: RequestExecutor;
  readonly #counters: ClientCounters;
  readonly #cache: ResponseCache<unknown> | undefined;
  readonly #inflight: SharedCalls<unknown>;
  /** Bumped on every invalidation so an answer fetched before a change is not cached after it. */
  #generation = 0;

  constructor(
    options: ResolvedOptions,
    executor: RequestExecutor,
    counters: ClientCounters,
    cache: ResponseCache<unknown> | undefined,
  ) {
    this.#options = options;
    this.#executor = executor;
    this.#counters = counters;
    this.#cache = cache;
    this.#inflight = new SharedCalls(() => {
      counters.coalesced += 1;
    });
  }

  /**
   * One coach's plan in the legacy shape; `date` defaults to the server's today. An aborted `signal` rejects
   * (even when not strict): the caller asked to stop, so no fallback or stale answer is made up for it.
   */
  fetchCoachPlan(coach: string, date?: string, options?: CallOptions): Promise<LegacyCoachPlan> {
    this.#counters.requests += 1;
    // No default object: the cache-hit path allocates nothing.
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const id = normalizeCoach(coach);
    const key = id === undefined ? '' : date === undefined ? id : `${id}|${date}`;
    const hit = this.#freshHit(key);
    if (hit !== undefined) return hit as Promise<LegacyCoachPlan>;
    const label = id ?? String(coach).trim().toLowerCase();
    const fallback = (reason: string): LegacyCoachPlan => ({
      plan: `Error fetching plan for coach ${label}: ${reason}`,
      charts: [],
      error: reason,
    });
    try {
      if (id === undefined)
        throw new CoachwireClientError('INVALID_ARGUMENT', `Invalid coach '${String(coach)}'`);
      assertTradingDate(date);
    } catch (error) {
      return this.#options.strict ? Promise.reject(error) : Promise.resolve(fallback(reasonOf(error)));
    }
    const query = date === undefined ? `coach=${id}` : `coach=${id}&date=${date}`;
    return this.#coalesced(key, `/api/coach-plans/?${query}`, fallback, signal) as Promise<LegacyCoachPlan>;
  }

  /** Every coach's plan for a date, keyed `coach_x`; `{}` when it cannot be fetched (but not when aborted). */
  fetchAllCoachPlans(date?: string, options?: CallOptions): Promise<LegacyCoachPlanMap> {
    this.#counters.requests += 1;
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const key = date === undefined ? allCoachesKey : `${allCoachesKey}|${date}`;
    const hit = this.#freshHit(key);
    if (hit !== undefined) return hit as Promise<LegacyCoachPlanMap>;
    try {
      assertTradingDate(date);
    } catch (error) {
      return this.#options.strict ? Promise.reject(error) : Promise.resolve({});
    }
    const path = date === undefined ? '/api/coach-plans/all' : `/api/coach-plans/all?date=${date}`;
    return this.#coalesced(key, path, () => ({}), signal) as Promise<LegacyCoachPlanMap>;
  }

  /** Makes every cached answer due for revalidation (kept for stale-if-error and its ETag for a cheap 304). */
  expireAll(): number {
    this.#generation += 1;
    // A read in flight may have been answered before: later reads ask again rather than share it.
    this.#inflight.clear();
    return this.#cache?.expireAll() ?? 0;
  }

  /** Drops what a change to (coach, date) makes wrong, including the "today" entries. */
  invalidate(coach: string, date: string): void {
    this.#generation += 1;
    // A read in flight may have been answered before the change: later reads ask again rather than share it.
    this.#inflight.clear();
    const cache = this.#cache;
    if (cache === undefined) return;
    const id = normalizeCoach(coach) ?? coach;
    cache.delete(`${id}|${date}`);
    cache.delete(`${allCoachesKey}|${date}`);
    // The server's "today" is unknown here, so the dateless entries may hold this plan too.
    cache.delete(id);
    cache.delete(allCoachesKey);
  }

  #freshHit(key: string): Promise<unknown> | undefined {
    const cache = this.#cache;
    if (cache === undefined) return undefined;
    const entry = cache.peek(key);
    if (entry === undefined || entry.expiresAt <= this.#options.clock.now()) return undefined;
    this.#counters.cacheHits += 1;
    cache.touch(key, entry);
    return entry.settled;
  }

  /** `signal` ends this caller's wait; the shared load is cancelled only when every caller has given up. */
  #coalesced(
    key: string,
    path: string,
    fallback: (reason: string) => unknown,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    return this.#inflight.run(key, (shared) => this.#load(key, path, fallback, shared), signal);
  }

  async #load(
    key: string,
    path: string,
    fallback: (reason: string) => unknown,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    const cache = this.#cache;
    const previous = cache?.peek(key);
    const generation = this.#generation;
    let answeredFromCache = false;
    let cancelled = false;
    try {
      const response = await this.#executor.execute({
        method: 'GET',
        path,
        ...(previous?.etag === undefined ? {} : { headers: { 'if-none-match': previous.etag } }),
        signal,
      });
      if (response.status === 304 && previous !== undefined) {
        answeredFromCache = true;
        this.#counters.cacheHits += 1;
        this.#counters.revalidations += 1;
        this.#store(key, previous.value, previous.etag, generation);
        return previous.value;
      }
      let value: unknown;
      try {
        value = deepFreeze(JSON.parse(response.text) as unknown);
      } catch (error) {
        throw new CoachwireClientError('INVALID_RESPONSE', 'The API answered with invalid JSON', {
          cause: error,
        });
      }
      if (value === null || typeof value !== 'object') {
        throw new CoachwireClientError(
          'INVALID_RESPONSE',
          'The API answered with something other than an object',
        );
      }
      const etag = response.headers.etag;
      this.#store(key, value, Array.isArray(etag) ? etag[0] : etag, generation);
      return value;
    } catch (error) {
      // Every caller gave up: nobody waits for a fallback, and the API did not fail.
      cancelled = signal?.aborted === true && error === signal.reason;
      if (cancelled) throw error;
      return this.#recover(key, error, fallback);
    } finally {
      if (!answeredFromCache && !cancelled) this.#counters.cacheMisses += 1;
    }
  }

  #store(key: string, value: unknown, etag: string | undefined, generation: number): void {
    if (this.#cache === undefined || generation !== this.#generation) return;
    let ttl = isNoPlanAnswer(value) ? this.#options.negativeTtlMs : this.#options.ttlMs;
    // A call without a date asks for the server's "today", which rolls over at its midnight unseen by any
    // event: such answers are trusted for a minute at most, then revalidated (a cheap 304 when unchanged).
    if (!key.includes('|')) ttl = Math.min(ttl, datelessTtlMs);
    this.#cache.set(key, value, etag, this.#options.clock.now() + ttl);
  }

  /** Stale-if-error first, then the strict error or the legacy fallback. */
  #recover(key: string, error: unknown, fallback: (reason: string) => unknown): unknown {
    const stale: CacheEntry<unknown> | undefined = this.#cache?.peek(key);
    const reason = reasonOf(error);
    if (stale !== undefined) {
      this.#counters.staleServed += 1;
      this.#options.logger.warn?.({ key, reason }, 'Coachwire API failed; serving a stale cached plan');
      return stale.value;
    }
    this.#options.logger.warn?.({ key, reason }, 'Coachwire API failed; no cached plan to fall back on');
    if (this.#options.strict) throw error;
    return fallback(reason);
  }
}
