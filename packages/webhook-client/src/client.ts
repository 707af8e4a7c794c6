import { CircuitBreaker } from './circuit-breaker.js';
import { ClientCounters } from './client-counters.js';
import {
  openEventSubscription,
  type ResyncInfo,
  type Unsubscribe,
  unopenedSubscription,
} from './event-subscription.js';
import { createUndiciTransport } from './http-transport.js';
import { LegacyPlanReader } from './legacy-plans.js';
import type {
  BetResult,
  CoachCalls,
  CoachCallsRange,
  CreateMarketInput,
  Leaderboard,
  Market,
  MarketEvent,
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
import { liveCoverage, MarketsApi } from './markets-api.js';
import { type ClientOptions, resolveOptions } from './options.js';
import { PlansApi } from './plans-api.js';
import { RequestExecutor } from './request-executor.js';
import { ResponseCache } from './response-cache.js';
import type {
  CallOptions,
  ClientMetrics,
  Coach,
  CreatePlanInput,
  HealthReport,
  LegacyCoachPlan,
  LegacyCoachPlanMap,
  Plan,
  PlanEvent,
  PlanFilter,
  PlanPage,
  PlanRevision,
  ServerMetrics,
  UpdatePlanInput,
} from './types.js';

export interface SubscribeOptions {
  /** Connection failures and bad frames; the subscription keeps reconnecting after each. */
  onError?: (error: unknown) => void;
  /**
   * Called each time the stream is (re)opened. `resumed` is true when the server replays from the last event
   * seen; when false, changes made before this moment are unknown, so cached answers are revalidated once.
   */
  onOpen?: (info: { resumed: boolean }) => void;
  /**
   * Called when the server cannot replay what this client missed (its `resync` event: too far behind, or the
   * events were pruned). Cached answers are revalidated as after a fresh open; reload whatever you derived
   * from earlier events. The stream goes on live after `latest_event_id`.
   */
  onResync?: (info: ResyncInfo) => void;
  /** Stops the subscription when it aborts, as calling the returned function does; an aborted one opens none. */
  signal?: AbortSignal | undefined;
}

/**
 * What `createClient` returns. Every method that asks the API takes a `signal` (in its options object, or in
 * a trailing `CallOptions`) that cancels the call; see `CallOptions`.
 */
export interface CoachwireClient {
  /**
   * Legacy shape `{plan, charts, author, created_at, edited_at, channel}`; never throws unless strict, or
   * aborted through `options.signal`.
   */
  fetchCoachPlan(coach: string, date?: string, options?: CallOptions): Promise<LegacyCoachPlan>;
  /** Legacy map `{coach_d: {...}}`; `{}` on failure unless strict (an abort rejects). */
  fetchAllCoachPlans(date?: string, options?: CallOptions): Promise<LegacyCoachPlanMap>;
  getPlan(id: number | string, options?: CallOptions): Promise<Plan>;
  /**
   * Pages of plans, following `next_cursor`: `for await (const page of client.listPlans(f)) page.data`.
   * An abort of `options.signal` ends the page being fetched and the iteration, which throws its reason.
   */
  listPlans(filter?: PlanFilter, options?: CallOptions): AsyncIterable<PlanPage>;
  getCoachPlan(coach: string, date: string, options?: CallOptions): Promise<Plan>;
  getHistory(id: number | string, options?: CallOptions): Promise<{ data: PlanRevision[] }>;
  listCoaches(options?: CallOptions): Promise<{ data: Coach[] }>;
  createPlan(input: CreatePlanInput, options?: CallOptions): Promise<Plan>;
  updatePlan(id: number | string, changes: UpdatePlanInput, options?: CallOptions): Promise<Plan>;
  deletePlan(id: number | string, options?: CallOptions): Promise<void>;
  checkHealth(options?: CallOptions): Promise<HealthReport>;
  getServerMetrics(options?: CallOptions): Promise<ServerMetrics>;
  getMetrics(): ClientMetrics;
  /** Empties the cache; returns how many entries were dropped. */
  clearCache(): number;
  /** Listens to plan changes (and drops their cache entries); call the result to stop. */
  subscribe(onEvent: (event: PlanEvent) => void, options?: SubscribeOptions): Unsubscribe;
  /** One market: options with probability (AMM) or pool and odds (pool), volume, bettors, status. */
  getMarket(id: number | string, options?: CallOptions): Promise<Market>;
  /**
   * Pages of markets, following `next_cursor`: `for await (const page of client.listMarkets(f)) page.data`.
   * An abort of `options.signal` ends the page being fetched and the iteration, which throws its reason.
   */
  listMarkets(filter?: MarketFilter, options?: CallOptions): AsyncIterable<MarketPage>;
  /** The probabilities over time (the opening, then each trade), for a chart. */
  getMarketHistory(id: number | string, options?: MarketHistoryOptions): Promise<MarketHistory>;
  getLeaderboard(guildId: string, period?: 'all' | 'month', options?: CallOptions): Promise<Leaderboard>;
  /** A coach's plans with their market's crowd confidence (`probability_at_close`) and the scoreboard. */
  getCoachCalls(coach: string, range?: CoachCallsRange): Promise<CoachCalls>;
  /** What a bet (`amount`) or a sell (`side: 'sell'`, `shares`) would give now; needs apiKey, changes nothing. */
  quote(marketId: number | string, input: QuoteInput): Promise<MarketQuote>;
  /**
   * Bets for `userId`; retried with the same idempotency key (generated if omitted), so it bets once. Aborted
   * after it was sent, the bet may have been placed: pass your own `idempotencyKey` to retry it safely.
   */
  placeBet(marketId: number | string, input: PlaceBetInput): Promise<BetResult>;
  sell(marketId: number | string, input: SellInput): Promise<SellResult>;
  createMarket(input: CreateMarketInput): Promise<Market>;
  /**
   * Listens to market (and, with `types`, points) events; while it is open, cached market answers are served
   * without asking and dropped as soon as an event for them arrives. Call the result to stop.
   */
  subscribeMarkets(
    onEvent: (event: MarketEvent) => void,
    options?: SubscribeOptions & { marketId?: number; types?: string },
  ): Unsubscribe;
  /** Stops every subscription, ends the calls in flight (they reject) and closes the keep-alive connections. */
  close(): Promise<void>;
}

/** Creates a Coachwire API client; see the README for every option. */
export function createClient(clientOptions: ClientOptions): CoachwireClient {
  const options = resolveOptions(clientOptions);
  const transport = options.httpRequest === undefined ? createUndiciTransport() : undefined;
  const send = options.httpRequest ?? transport!.send;
  const counters = new ClientCounters();
  const breaker = new CircuitBreaker(options.failureThreshold, options.cooldownMs, options.clock, (state) => {
    const log = state === 'open' ? options.logger.warn : options.logger.info;
    log?.({ circuit: state }, `Coachwire API circuit ${state}`);
  });
  const cache = options.cacheEnabled ? new ResponseCache<unknown>(options.maxEntries) : undefined;
  const executor = new RequestExecutor(options, send, breaker, counters);
  const legacy = new LegacyPlanReader(options, executor, counters, cache);
  const api = new PlansApi(options, executor, counters, cache, (plan) => {
    if (plan?.coach !== undefined && plan.trading_date !== undefined)
      legacy.invalidate(plan.coach, plan.trading_date);
    else cache?.clear();
  });
  const markets = new MarketsApi(options, executor, counters, cache);
  /** The open subscriptions' stop functions (close() calls each, which also detaches it from its signal). */
  const subscriptions = new Set<Unsubscribe>();
  /** close() runs once; a second call waits for the first. */
  let closing: Promise<void> | undefined;
  /** Aborted by close(), so that a subscription asked for afterwards opens nothing. */
  const closed = new AbortController();
  const onStreamError = (error: unknown) =>
    options.logger.warn?.(
      { reason: error instanceof Error ? error.message : String(error) },
      'Coachwire event stream failed; reconnecting',
    );
  const track = (
    unsubscribe: Unsubscribe,
    onStop: () => void = () => {},
    signal: AbortSignal | undefined = undefined,
  ): Unsubscribe => {
    const stop: Unsubscribe = Object.defineProperties(
      (() => {
        // Off the caller's signal, which may outlive this subscription (one signal for many).
        signal?.removeEventListener('abort', stop);
        if (subscriptions.delete(stop)) onStop();
        unsubscribe();
      }) as Unsubscribe,
      {
        unsubscribe: { value: () => stop() },
        lastEventId: { get: () => unsubscribe.lastEventId },
      },
    );
    subscriptions.add(stop);
    signal?.addEventListener('abort', stop, { once: true });
    return stop;
  };

  return {
    fetchCoachPlan: (coach, date, callOptions) => legacy.fetchCoachPlan(coach, date, callOptions),
    fetchAllCoachPlans: (date, callOptions) => legacy.fetchAllCoachPlans(date, callOptions),
    getPlan: (id, callOptions) => api.getPlan(id, callOptions),
    async *listPlans(filter = {}, callOptions = {}) {
      let cursor = filter.cursor;
      do {
        const page: PlanPage = await api.listPlanPage(
          cursor === undefined ? filter : { ...filter, cursor },
          callOptions,
        );
        yield page;
        cursor = page.next_cursor ?? undefined;
      } while (cursor !== undefined);
    },
    getCoachPlan: (coach, date, callOptions) => api.getCoachPlan(coach, date, callOptions),
    getHistory: (id, callOptions) => api.getHistory(id, callOptions),
    listCoaches: (callOptions) => api.listCoaches(callOptions),
    createPlan: (input, callOptions) => api.createPlan(input, callOptions),
    updatePlan: (id, changes, callOptions) => api.updatePlan(id, changes, callOptions),
    deletePlan: (id, callOptions) => api.deletePlan(id, callOptions),
    checkHealth: (callOptions) => api.checkHealth(callOptions),
    getServerMetrics: (callOptions) => api.getServerMetrics(callOptions),
    getMetrics() {
      const answered = counters.cacheHits + counters.cacheMisses;
      return {
        requests: counters.requests,
        cacheHits: counters.cacheHits,
        cacheMisses: counters.cacheMisses,
        cacheHitRate: answered === 0 ? 0 : counters.cacheHits / answered,
        revalidations: counters.revalidations,
        staleServed: counters.staleServed,
        coalesced: counters.coalesced,
        apiSuccesses: counters.apiSuccesses,
        apiErrors: counters.apiErrors,
        apiRetries: counters.apiRetries,
        circuitState: breaker.state,
        cacheSize: cache?.size ?? 0,
        cacheMaxEntries: options.maxEntries,
        cacheTtlSeconds: options.cacheEnabled ? options.ttlMs / 1000 : 0,
      };
    },
    clearCache: () => cache?.clear() ?? 0,
    getMarket: (id, callOptions) => markets.getMarket(id, callOptions),
    async *listMarkets(filter = {}, callOptions = {}) {
      let cursor = filter.cursor;
      do {
        const page: MarketPage = await markets.listMarketPage(
          cursor === undefined ? filter : { ...filter, cursor },
          callOptions,
        );
        yield page;
        cursor = page.next_cursor ?? undefined;
      } while (cursor !== undefined);
    },
    getMarketHistory: (id, historyOptions) => markets.getMarketHistory(id, historyOptions),
    getLeaderboard: (guildId, period, callOptions) => markets.getLeaderboard(guildId, period, callOptions),
    getCoachCalls: (coach, range) => markets.getCoachCalls(coach, range),
    quote: (marketId, input) => markets.quote(marketId, input),
    placeBet: (marketId, input) => markets.placeBet(marketId, input),
    sell: (marketId, input) => markets.sell(marketId, input),
    createMarket: (input) => markets.createMarket(input),
    subscribeMarkets(onEvent, subscribeOptions = {}) {
      if (subscribeOptions.signal?.aborted) return unopenedSubscription();
      const query = new URLSearchParams({ types: subscribeOptions.types ?? 'market.*' });
      if (subscribeOptions.marketId !== undefined) query.set('market_id', String(subscribeOptions.marketId));
      // Trusted only for what its events cover, and only while it is open: events may be missed meanwhile.
      const coverage = liveCoverage(query.get('types')!, subscribeOptions.marketId);
      let untrust: (() => void) | undefined;
      const setLive = (value: boolean) => {
        if (value && untrust === undefined) untrust = markets.trustWhileLive(coverage);
        if (!value) {
          untrust?.();
          untrust = undefined;
        }
      };
      const unsubscribe = openEventSubscription({
        url: `${options.baseUrl}/api/v1/events?${query}`,
        send,
        clientClosed: closed.signal,
        apiKey: options.apiKey,
        timeoutMs: options.timeoutMs,
        baseDelayMs: options.baseDelayMs,
        maxDelayMs: options.maxDelayMs,
        maxRetryAfterMs: options.maxRetryAfterMs,
        onOpen(info) {
          // Without a replay, markets may have changed while nothing listened.
          if (!info.resumed) markets.invalidateAll();
          setLive(true);
          subscribeOptions.onOpen?.(info);
        },
        onResync(info) {
          markets.invalidateAll();
          subscribeOptions.onResync?.(info);
        },
        onEvent(event) {
          const marketEvent = event as unknown as MarketEvent;
          markets.invalidate(typeof marketEvent.market_id === 'number' ? marketEvent.market_id : null);
          onEvent(marketEvent);
        },
        // Events may be missed until the stream is open again: stop trusting the cache meanwhile.
        onClose: () => setLive(false),
        onError(error) {
          setLive(false);
          (subscribeOptions.onError ?? onStreamError)(error);
        },
      });
      return track(unsubscribe, () => setLive(false), subscribeOptions.signal);
    },
    subscribe(onEvent, subscribeOptions = {}) {
      if (subscribeOptions.signal?.aborted) return unopenedSubscription();
      const onError =
        subscribeOptions.onError ??
        ((error: unknown) =>
          options.logger.warn?.(
            { reason: error instanceof Error ? error.message : String(error) },
            'Coachwire event stream failed; reconnecting',
          ));
      const unsubscribe = openEventSubscription({
        url: `${options.baseUrl}/api/v1/events`,
        send,
        clientClosed: closed.signal,
        apiKey: options.apiKey,
        timeoutMs: options.timeoutMs,
        baseDelayMs: options.baseDelayMs,
        maxDelayMs: options.maxDelayMs,
        maxRetryAfterMs: options.maxRetryAfterMs,
        onOpen(info) {
          // Without a replay, plans may have changed while nothing listened: revalidate (cheaply, with
          // If-None-Match) everything cached so far instead of trusting it until its TTL.
          if (!info.resumed) legacy.expireAll();
          subscribeOptions.onOpen?.(info);
        },
        onResync(info) {
          // The same position as a stream opened without replay: what changed meanwhile is unknown.
          legacy.expireAll();
          subscribeOptions.onResync?.(info);
        },
        onEvent(event) {
          if (typeof event.coach === 'string' && typeof event.trading_date === 'string') {
            legacy.invalidate(event.coach, event.trading_date);
          }
          api.forgetReadsInFlight();
          onEvent(event);
        },
        onError,
      });
      return track(unsubscribe, undefined, subscribeOptions.signal);
    },
    close() {
      closed.abort();
      closing ??= (async () => {
        for (const stop of subscriptions) stop();
        subscriptions.clear();
        executor.close();
        await transport?.close();
      })();
      return closing;
    },
  };
}
