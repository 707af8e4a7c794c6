import { randomUUID } from 'node:crypto';
import type { ClientCounters } from './client-counters.js';
import { requireCoach } from './coach-input.js';
import { deepFreeze } from './deep-freeze.js';
import { CoachwireClientError } from './errors.js';
import type {
  BetResult,
  CoachCalls,
  CoachCallsRange,
  CreateMarketInput,
  Leaderboard,
  Market,
  MarketFilter,
  MarketHistory,
  MarketHistoryOptions,
  MarketPage,
  MarketQuote,
  PlaceBetInput,
  QuoteInput,
  SellInput,
  SellResult,
} from './market-types.js';
import type { ResolvedOptions } from './options.js';
import type { ApiResponse, RequestExecutor } from './request-executor.js';
import type { ResponseCache } from './response-cache.js';
import { SharedCalls } from './shared-calls.js';
import type { CallOptions } from './types.js';

const MARKETS = '/api/v1/markets';
const ID = /^\d{1,15}$/;
const SNOWFLAKE = /^[0-9A-Za-z_.:-]{1,64}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function marketPath(id: number | string): string {
  if (!ID.test(String(id)))
    throw new CoachwireClientError('INVALID_ARGUMENT', `Invalid market id '${String(id)}'`);
  return `${MARKETS}/${id}`;
}

function guildPath(guildId: string): string {
  if (!SNOWFLAKE.test(guildId))
    throw new CoachwireClientError('INVALID_ARGUMENT', `Invalid guild id '${guildId}'`);
  return `/api/v1/guilds/${guildId}`;
}

function withQuery(path: string, query: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) search.set(name, String(value));
  const text = search.toString();
  return text === '' ? path : `${path}?${text}`;
}

/**
 * What one open market subscription reports, by its `types` and `marketId`: every market event (of one
 * market, or of all), points events (the leaderboard moves with grants), plan events (coach calls).
 */
export interface LiveCoverage {
  readonly marketId: number | undefined;
  readonly markets: boolean;
  readonly points: boolean;
  readonly plans: boolean;
}

/** The coverage of a subscription to `types` (comma-separated event types or `domain.*`) and `marketId`. */
export function liveCoverage(types: string, marketId: number | undefined): LiveCoverage {
  const listed = new Set(types.split(',').map((type) => type.trim()));
  const all = (domain: string) => listed.has('*') || listed.has(`${domain}.*`);
  return { marketId, markets: all('market'), points: all('points'), plans: all('plan') };
}

/**
 * The market routes. Reads are coalesced per URL and kept with their ETag. While a market subscription is
 * open, a kept answer younger than the cache TTL is served without asking (any change would have arrived as
 * an event and dropped it); otherwise every read revalidates, like plan reads. Writes carry an idempotency
 * key (generated when the caller gives none) and are retried with the same key, so a retry never bets twice.
 */
export class MarketsApi {
  readonly #options: ResolvedOptions;
  readonly #executor: RequestExecutor;
  readonly #counters: ClientCounters;
  readonly #cache: ResponseCache<unknown> | undefined;
  readonly #inflight: SharedCalls<unknown>;
  /** What the open market subscriptions' events keep honest: a kept answer is trusted only where one covers it. */
  readonly #live = new Set<LiveCoverage>();
  /** Moves on at every invalidation: an answer asked for before it is not kept (the event may postdate it). */
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

  getMarket(id: number | string, options: CallOptions = {}): Promise<Market> {
    return this.#read(() => marketPath(id), options.signal);
  }

  listMarketPage(filter: MarketFilter, options: CallOptions = {}): Promise<MarketPage> {
    return this.#read(() => withQuery(MARKETS, { ...filter }), options.signal);
  }

  getMarketHistory(id: number | string, options: MarketHistoryOptions = {}): Promise<MarketHistory> {
    return this.#read(
      () => withQuery(`${marketPath(id)}/history`, { points: options.points }),
      options.signal,
    );
  }

  getLeaderboard(
    guildId: string,
    period: 'all' | 'month' = 'all',
    options: CallOptions = {},
  ): Promise<Leaderboard> {
    return this.#read(() => withQuery(`${guildPath(guildId)}/leaderboard`, { period }), options.signal);
  }

  getCoachCalls(coach: string, range: CoachCallsRange = {}): Promise<CoachCalls> {
    return this.#read(() => {
      for (const date of [range.from, range.to]) {
        if (date !== undefined && !DATE.test(date))
          throw new CoachwireClientError('INVALID_ARGUMENT', `Invalid date '${date}' (use YYYY-MM-DD)`);
      }
      return withQuery(`/api/v1/coaches/${requireCoach(coach)}/calls`, { from: range.from, to: range.to });
    }, range.signal);
  }

  /** What a bet or a sell would give now. It changes nothing, so it needs no idempotency key to be retried. */
  async quote(marketId: number | string, input: QuoteInput): Promise<MarketQuote> {
    this.#counters.requests += 1;
    input.signal?.throwIfAborted();
    const path = `${marketPath(marketId)}/quote`;
    const apiKey = this.#requireApiKey('An apiKey is required to quote, trade or open markets');
    const body =
      input.side === 'sell'
        ? { option: input.option, side: 'sell', shares: input.shares }
        : { option: input.option, side: 'buy', amount: input.amount };
    const response = await this.#executor.execute({
      method: 'POST',
      path,
      headers: { authorization: `Bearer ${apiKey}` },
      body: JSON.stringify(body),
      retries: this.#options.retries,
      signal: input.signal,
    });
    return this.#parse<MarketQuote>(response);
  }

  async placeBet(marketId: number | string, input: PlaceBetInput): Promise<BetResult> {
    const body = {
      user_id: input.userId,
      option: input.option,
      amount: input.amount,
      min_shares: input.minShares,
    };
    return this.#write<BetResult>(`${marketPath(marketId)}/bets`, body, input);
  }

  async sell(marketId: number | string, input: SellInput): Promise<SellResult> {
    const body = {
      user_id: input.userId,
      option: input.option,
      shares: input.shares,
      min_points: input.minPoints,
    };
    return this.#write<SellResult>(`${marketPath(marketId)}/sells`, body, input);
  }

  async createMarket(input: CreateMarketInput): Promise<Market> {
    const body = {
      guild_id: input.guildId,
      user_id: input.userId,
      question: input.question,
      mechanism: input.mechanism,
      closes_at: input.closesAt,
      options: input.options,
      subsidy: input.subsidy,
      initial_probability: input.initialProbability,
      description: input.description,
      plan_id: input.planId,
    };
    return this.#write<Market>(MARKETS, body, input);
  }

  /** Counts an open subscription's coverage in; the returned function counts it out. */
  trustWhileLive(coverage: LiveCoverage): () => void {
    this.#live.add(coverage);
    return () => {
      this.#live.delete(coverage);
    };
  }

  /** Drops what a market event makes stale: that market's answers and every list, board and call summary. */
  invalidate(marketId: number | null): void {
    this.#generation += 1;
    // A read in flight may have been answered before the event: later reads ask again rather than share it.
    this.#inflight.clear();
    const cache = this.#cache;
    if (!cache) return;
    const own = marketId === null ? undefined : `${MARKETS}/${marketId}`;
    for (const key of cache.keys()) {
      if (!key.startsWith('market ')) continue;
      const path = key.slice('market '.length);
      const single = /^\/api\/v1\/markets\/\d+/.exec(path);
      const ofOther = single !== null && own !== undefined && single[0] !== own;
      if (!ofOther) cache.delete(key);
    }
  }

  /** Drops every market answer (a stream reopened without replay: changes may have been missed). */
  invalidateAll(): void {
    this.invalidate(null);
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
    const key = `market ${path}`;
    const kept = this.#cache?.peek(key);
    if (kept !== undefined && this.#covered(path) && kept.expiresAt > this.#options.clock.now()) {
      this.#counters.cacheHits += 1;
      this.#cache?.touch(key, kept);
      return kept.settled as Promise<T>;
    }
    return this.#inflight.run(path, (shared) => this.#revalidate(path, key, shared), signal) as Promise<T>;
  }

  /** Whether an open subscription would have dropped the answer for `path` had it changed. */
  #covered(path: string): boolean {
    const single = /^\/api\/v1\/markets\/(\d+)/.exec(path);
    for (const coverage of this.#live) {
      if (coverage.marketId !== undefined) {
        if (coverage.markets && single !== null && Number(single[1]) === coverage.marketId) return true;
      } else if (path.startsWith(MARKETS)) {
        if (coverage.markets) return true;
      } else if (path.endsWith('/leaderboard') || path.includes('/leaderboard?')) {
        if (coverage.markets && coverage.points) return true;
      } else if (coverage.markets && coverage.plans) return true;
    }
    return false;
  }

  async #revalidate(path: string, key: string, signal: AbortSignal | undefined): Promise<unknown> {
    const generation = this.#generation;
    const kept = this.#cache?.peek(key);
    const response = await this.#executor.execute({
      method: 'GET',
      path,
      ...(kept?.etag === undefined ? {} : { headers: { 'if-none-match': kept.etag } }),
      signal,
    });
    const expiresAt = this.#options.clock.now() + this.#options.ttlMs;
    if (response.status === 304 && kept !== undefined) {
      this.#counters.cacheHits += 1;
      this.#counters.revalidations += 1;
      if (generation === this.#generation) this.#cache?.set(key, kept.value, kept.etag, expiresAt);
      return kept.value;
    }
    this.#counters.cacheMisses += 1;
    const value = this.#parse<unknown>(response);
    const etag = response.headers.etag;
    if (generation === this.#generation) {
      this.#cache?.set(key, value, Array.isArray(etag) ? etag[0] : etag, expiresAt);
    }
    return value;
  }

  /**
   * A write aborted after it was sent may have been applied: the caller's reason is thrown unchanged (it may be
   * shared by many calls, so it is not tagged with the key), and only a key of the caller's own lets it retry.
   */
  async #write<T>(
    path: string,
    body: Record<string, unknown>,
    input: { idempotencyKey?: string; signal?: AbortSignal | undefined },
  ): Promise<T> {
    this.#counters.requests += 1;
    input.signal?.throwIfAborted();
    const apiKey = this.#requireApiKey('An apiKey is required to trade or open markets');
    const idempotencyKey = input.idempotencyKey ?? randomUUID();
    try {
      const response = await this.#executor.execute({
        method: 'POST',
        path,
        headers: { authorization: `Bearer ${apiKey}`, 'idempotency-key': idempotencyKey },
        body: JSON.stringify(body),
        // Safe to retry: the server answers a repeated key with the first result instead of acting again.
        retries: this.#options.retries,
        signal: input.signal,
      });
      const result = this.#parse<T>(response);
      const marketId = (result as { market?: { id?: number }; id?: number }).market?.id;
      this.invalidate(typeof marketId === 'number' ? marketId : null);
      return result;
    } catch (error) {
      const cancelled = input.signal?.aborted === true && error === input.signal.reason;
      if (error instanceof CoachwireClientError && !cancelled) error.idempotencyKey = idempotencyKey;
      throw error;
    }
  }

  #requireApiKey(message: string): string {
    const apiKey = this.#options.apiKey;
    if (apiKey === undefined || apiKey === '') throw new CoachwireClientError('CONFIGURATION', message);
    return apiKey;
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
