import type { CoachwireConfig } from '@coachwire/config';
import type {
  EventLogReader,
  MarketQueries,
  MarketService,
  PlanService,
  PointsService,
} from '@coachwire/core';
import type { ChartStore, MemberNamePort } from '@coachwire/storage';
import type { FastifyCorsOptions } from '@fastify/cors';
import type { ApiStorage } from './api-storage.js';
import type { EventLogPoller } from './events/event-log-poller.js';
import type { SseHub } from './events/sse-hub.js';
import type { ApiKeyVerifier, Credential } from './http/api-keys.js';
import type { MarketMetrics } from './http/market-metrics.js';
import type { RequestMetrics } from './http/request-metrics.js';
import type { ResponseCache } from './http/response-cache.js';
import type { ChartUrlFor } from './presenters/chart-url.js';

// What the app plugins decorate Fastify with; routes read these instead of importing singletons.
declare module 'fastify' {
  interface FastifyInstance {
    coachwireConfig: CoachwireConfig;
    storage: ApiStorage;
    planService: PlanService;
    responseCache: ResponseCache;
    eventPoller: EventLogPoller;
    /** The event log of every domain (plans, markets, points). */
    eventLog: EventLogReader;
    marketService: MarketService;
    pointsService: PointsService;
    marketQueries: MarketQueries;
    /** Serialized market reads, dropped on every event of the log and after a few seconds. */
    marketCache: ResponseCache;
    marketMetrics: MarketMetrics;
    /** Members' display names as the bot last saw them, shown beside their ids. */
    memberNames: Pick<MemberNamePort, 'namesOf'>;
    sseHub: SseHub;
    apiKeys: ApiKeyVerifier;
    requestMetrics: RequestMetrics;
    /** Stable URL of a chart (archived) or its original URL. */
    chartUrl: ChartUrlFor;
    /** Archived chart files, content-addressed. */
    chartStore: ChartStore;
  }

  interface FastifyRequest {
    /** What the Authorization header proved (set for every request before rate limiting). */
    credential: Credential;
    /** Set by @fastify/cors when its hook took a request as a preflight it may answer. */
    corsPreflightEnabled: boolean;
  }

  interface FastifyContextConfig {
    /** Legacy routes answer errors with the old API's sentence in `error`. */
    legacyErrors?: boolean;
    /** Add a weak ETag to 200 answers and turn a matching If-None-Match into 304. */
    etag?: boolean;
    /** The handler itself sends an ETag and answers a matching If-None-Match with 304 (`sendRendered`). */
    handlerEtag?: boolean;
    /** Readable without an API key even when `api.require_key_for_reads` is set (probes). */
    public?: boolean;
    /** A route that only answers 405 for a method its path does not serve (plugins/method-not-allowed.ts). */
    methodNotAllowed?: boolean;
    /** @fastify/cors's route-level options, merged over the registered ones (see plugins/cors.ts). */
    cors?: FastifyCorsOptions | false;
  }
}
