import type { ClientCounters } from './client-counters.js';
import { assertTradingDate, requireCoach } from './coach-input.js';
import { deepFreeze } from './deep-freeze.js';
import { CoachwireClientError } from './errors.js';
import type { ResolvedOptions } from './options.js';
import type { ApiResponse, RequestExecutor } from './request-executor.js';
import type { ResponseCache } from './response-cache.js';
import { SharedCalls } from './shared-calls.js';
import type {
  CallOptions,
  Coach,
  CreatePlanInput,
  HealthReport,
  Plan,
  PlanFilter,
  PlanPage,
  PlanRevision,
  ServerMetrics,
  UpdatePlanInput,
} from './types.js';

const etagKeyPrefix = 'v1 ';

function planPath(id: number | string): string {
  if (!/^\d+$/.test(String(id)))
    throw new CoachwireClientError('INVALID_ARGUMENT', `Invalid plan id '${String(id)}'`);
  return `/api/v1/plans/${id}`;
}

/**
 * The v1 API: reads throw typed errors, are coalesced per URL and revalidated with the last ETag
 * (a 304 returns the kept body), so they are always current; writes need the apiKey and are sent once.
 */
export class PlansApi {
  readonly #options: ResolvedOptions;
  readonly #executor: RequestExecutor;
  readonly #counters: ClientCounters;
  readonly #cache: ResponseCache<unknown> | undefined;
  readonly #inflight: SharedCalls<unknown>;
  readonly #onWrite: (plan: Partial<Plan> | undefined) => void;

  constructor(
    options: ResolvedOptions,
    executor: RequestExecutor,
    counters: ClientCounters,
    cache: ResponseCache<unknown> | undefined,
    onWrite: (plan: Partial<Plan> | undefined) => void,
  ) {
    this.#options = options;
    this.#executor = executor;
    this.#counters = counters;
    this.#cache = cache;
    this.#onWrite = onWrite;
    this.#inflight = new SharedCalls(() => {
      counters.coalesced += 1;
    });
  }

  getPlan(id: number | string, options: CallOptions = {}): Promise<Plan> {
    return this.#read<Plan>(() => planPath(id), options.signal);
  }

  getCoachPlan(coach: string, date: string, options: CallOptions = {}): Promise<Plan> {
    return this.#read<Plan>(() => {
      assertTradingDate(date);
      return `/api/v1/coaches/${requireCoach(coach)}/plans/${date}`;
    }, options.signal);
  }

  getHistory(id: number | string, options: CallOptions = {}): Promise<{ data: PlanRevision[] }> {
    return this.#read(() => `${planPath(id)}/history`, options.signal);
  }

  listCoaches(options: CallOptions = {}): Promise<{ data: Coach[] }> {
    return this.#read(() => '/api/v1/coaches', options.signal);
  }

  /** One page of plans; `listPlans` in the client walks the cursor. */
  listPlanPage(filter: PlanFilter, options: CallOptions = {}): Promise<PlanPage> {
    return this.#read(() => {
      const query = new URLSearchParams();
      for (const [name, value] of Object.entries(filter)) {
        if (value === undefined || value === null) continue;
        query.set(name, name === 'coach' ? requireCoach(String(value)) : String(value));
      }
      const search = query.toString();
      return search === '' ? '/api/v1/plans' : `/api/v1/plans?${search}`;
    }, options.signal);
  }

  async createPlan(input: CreatePlanInput, options: CallOptions = {}): Promise<Plan> {
    const plan = this.#parse<Plan>(await this.#write('POST', '/api/v1/plans', input, options.signal));
    this.#onWrite(plan);
    return plan;
  }

  async updatePlan(id: number | string, changes: UpdatePlanInput, options: CallOptions = {}): Promise<Plan> {
    const plan = this.#parse<Plan>(await this.#write('PATCH', planPath(id), changes, options.signal));
    this.#onWrite(plan);
    return plan;
  }

  async deletePlan(id: number | string, options: CallOptions = {}): Promise<void> {
    const response = await this.#write('DELETE', planPath(id), undefined, options.signal);
    this.#onWrite(response.text === '' ? undefined : this.#parse<Plan>(response));
  }

  /** `/health` answers 503 with a body when unhealthy: that is a report, not an error. */
  async checkHealth(options: CallOptions = {}): Promise<HealthReport> {
    this.#counters.requests += 1;
    const response = await this.#executor.execute({
      method: 'GET',
      path: '/health',
      guarded: false,
      retries: 0,
      acceptStatus: 503,
      signal: options.signal,
    });
    return this.#parse<HealthReport>(response);
  }

  getServerMetrics(options: CallOptions = {}): Promise<ServerMetrics> {
    return this.#read(() => '/metrics', options.signal);
  }

  /** After a plan event: a read in flight may have been answered before it, so later reads ask again. */
  forgetReadsInFlight(): void {
    this.#inflight.clear();
  }

  /** `signal` ends this caller's wait; the shared request is cancelled only when every caller has given up. */
  #read<T>(pathOf: () => string, signal: AbortSignal | undefined): Promise<T> {
    this.#counters.requests += 1;
    if (signal?.aborted) return Promise.reject(signal.reason);
    let path: string;
    try {
      path = pathOf();
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#inflight.run(path, (shared) => this.#revalidate(path, shared), signal) as Promise<T>;
  }

  async #revalidate(path: string, signal: AbortSignal | undefined): Promise<unknown> {
    const key = etagKeyPrefix + path;
    const kept = this.#cache?.peek(key);
    const response = await this.#executor.execute({
      method: 'GET',
      path,
      ...(kept?.etag === undefined ? {} : { headers: { 'if-none-match': kept.etag } }),
      signal,
    });
    if (response.status === 304 && kept !== undefined) {
      this.#counters.cacheHits += 1;
      this.#counters.revalidations += 1;
      this.#cache?.touch(key, kept);
      return kept.value;
    }
    this.#counters.cacheMisses += 1;
    const value = this.#parse<unknown>(response);
    const etag = response.headers.etag;
    const tag = Array.isArray(etag) ? etag[0] : etag;
    // Expired at birth: a v1 read always asks the server, the ETag only saves the body.
    if (tag !== undefined) this.#cache?.set(key, value, tag, 0);
    return value;
  }

  async #write(
    method: 'POST' | 'PATCH' | 'DELETE',
    path: string,
    body: unknown,
    signal: AbortSignal | undefined,
  ): Promise<ApiResponse> {
    this.#counters.requests += 1;
    signal?.throwIfAborted();
    const apiKey = this.#options.apiKey;
    if (apiKey === undefined || apiKey === '') {
      throw new CoachwireClientError(
        'CONFIGURATION',
        'An apiKey is required to create, update or delete plans',
      );
    }
    return this.#executor.execute({
      method,
      path,
      headers: { authorization: `Bearer ${apiKey}` },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal,
    });
  }

  #parse<T>(response: ApiResponse): T {
    try {
      return deepFreeze(JSON.parse(response.text) as T);
    } catch (error) {
      throw new CoachwireClientError('INVALID_RESPONSE', 'The API answered with invalid JSON', {
        cause: error,
      });
    }
  }
}
