import { type CoachwireConfig, createLogger, type Logger } from '@coachwire/config';
import { type Clock, type MarketReadStore, systemClock } from '@coachwire/core';
import {
  type Coachwire,
  type CoachwireServices,
  createServices,
  eventLogPrunerFor,
  marketReadsUnavailable,
} from '@coachwire/runtime';
import { type ChartStore, FsChartStore, type MemberNamePort } from '@coachwire/storage';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { type ApiStorage, apiStorageOf, eventLogOf } from './api-storage.js';
import { EventLogPoller } from './events/event-log-poller.js';
import { MarketSweeper } from './events/market-sweeper.js';
import { SseHub } from './events/sse-hub.js';
import './fastify-types.js';
import { ApiKeyVerifier } from './http/api-keys.js';
import { buildValidator } from './http/json-body-validation.js';
import { MarketMetrics } from './http/market-metrics.js';
import { requestIdFor } from './http/request-id.js';
import { RequestMetrics } from './http/request-metrics.js';
import { ResponseCache } from './http/response-cache.js';
import { answerClientError } from './plugins/client-errors.js';
import { registerConditionalGet } from './plugins/conditional-get.js';
import { registerCors } from './plugins/cors.js';
import { registerDashboard } from './plugins/dashboard.js';
import { registerDocumentedResponses } from './plugins/documented-responses.js';
import { handleFrameworkError, registerErrorHandling } from './plugins/error-handling.js';
import { registerRateLimit, registerUnderPressure } from './plugins/external-plugins.js';
import { registerJsonBody } from './plugins/json-body.js';
import { registerMethodNotAllowed, trackRoutePaths } from './plugins/method-not-allowed.js';
import { registerOpenApi } from './plugins/openapi.js';
import { registerRequestLifecycle } from './plugins/request-lifecycle.js';
import { chartsPublicBaseUrl, chartUrlFor } from './presenters/chart-url.js';
import { healthRoutes } from './routes/health-routes.js';
import { legacyRoutes } from './routes/legacy-routes.js';
import { metricsRoutes } from './routes/metrics-routes.js';
import { rootRoute } from './routes/root-route.js';
import { v1CalendarRoute } from './routes/v1-calendar-route.js';
import { v1ChartRoutes } from './routes/v1-chart-routes.js';
import { v1EventsRoute } from './routes/v1-events-route.js';
import { v1MarketReadRoutes } from './routes/v1-market-read-routes.js';
import { v1MarketWriteRoutes } from './routes/v1-market-write-routes.js';
import { v1ReadRoutes } from './routes/v1-read-routes.js';
import { v1WriteRoutes } from './routes/v1-write-routes.js';

interface CommonAppOptions {
  readonly config: CoachwireConfig;
  /** Defaults to the runtime's logger, or createLogger with the config's logging section. */
  readonly logger?: Logger;
  /** How often the event log is polled (default 250 ms). */
  readonly eventPollIntervalMs?: number;
  /** How often the market sweep runs (default `markets.sweep_seconds`; 0 turns it off). The bot runs it too. */
  readonly marketSweepIntervalMs?: number;
  /** How long the health checks wait for the database (default HEALTH_DEADLINE_MS). */
  readonly healthDeadlineMs?: number;
}

/**
 * The app runs over an opened runtime (`openCoachwire`; the caller closes it), or, for tests with fakes and
 * the OpenAPI document, over an ApiStorage seam whose services still come from the runtime's createServices.
 */
export type BuildAppOptions = CommonAppOptions &
  ({ readonly coachwire: Coachwire } | { readonly storage: ApiStorage; readonly clock?: Clock });

/** Market answers follow the clock (a market closes at its time), so they are cached this long at most. */
const MARKET_CACHE_TTL_MS = 5_000;

/** Over plan-only fakes (no markets, so no members) no name is known. */
const noMemberNames: Pick<MemberNamePort, 'namesOf'> = { namesOf: async () => new Map() };

/** For Fastify's trustProxy: the connecting peer (hop 0, the proxy) is trusted, no address it forwards is. */
const trustOnlyThePeer = (_address: string, hop: number): boolean => hop === 0;

/** Largest request body accepted: a plan is at most a few KB of text plus chart links. */
const BODY_LIMIT_BYTES = 256 * 1024;

/** Builds the API without listening: external plugins, then app services, then routes. */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { config } = options;
  const { storage, services, clock, chartFiles, runtimeLogger, marketReads, memberNames } =
    resolveRuntime(options);
  // Over plan-only fakes there is no ledger to sweep.
  const marketSweepEnabled = 'coachwire' in options;
  const logger = options.logger ?? runtimeLogger ?? createLogger({ config: config.logging, name: 'api' });

  // Fastify waits forever for a request's body by default: a client that stops sending would hold its
  // connection (and a file descriptor) for good. Node enforces the request timeout only while the headers
  // timeout is no longer (its own default is the smaller of 60 s and the request timeout), and checks its
  // connections every interval, so that runs at least as often as the timeout.
  const requestTimeoutMs = config.api.request_timeout_seconds * 1000;
  const app = Fastify({
    loggerInstance: logger,
    requestTimeout: requestTimeoutMs,
    // Each request is logged once, by our onResponse hook, with route, status and duration.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: requestIdFor,
    requestIdHeader: false,
    // Trust one hop, the proxy in front of us. A proxy appends the address it saw to X-Forwarded-For (nginx's
    // $proxy_add_x_forwarded_for), so only the last entry is its own; `true` takes the first, which the client
    // writes, and lets it pick a fresh rate-limit bucket and SSE allowance with every request. (Fastify reads a
    // plain hop count as "trust nothing", hence the function.)
    trustProxy: config.api.trust_proxy ? trustOnlyThePeer : false,
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    // Errors raised before any route runs get the API's error shape too (see plugins/client-errors.ts).
    frameworkErrors: handleFrameworkError,
    clientErrorHandler: answerClientError,
    http: {
      requireHostHeader: false,
      headersTimeout: Math.min(60_000, requestTimeoutMs),
      connectionsCheckingInterval: Math.min(30_000, requestTimeoutMs),
    },
    schemaController: { compilersFactory: { buildValidator } },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as FastifyInstance;

  const eventLog = eventLogOf(storage);
  const eventPoller = new EventLogPoller(eventLog, options.eventPollIntervalMs ?? 250, (error) =>
    logger.warn({ err: error }, 'cannot read the event log; retrying'),
  );
  const responseCache = new ResponseCache(config.cache.max_size, config.cache.ttl_seconds * 1000);
  // Market answers are computed on the services' clock, so their cache keeps time on it too.
  const marketCache = new ResponseCache(
    config.cache.max_size,
    Math.min(config.cache.ttl_seconds * 1000, MARKET_CACHE_TTL_MS),
    () => clock.now(),
  );
  eventPoller.subscribe((events) => {
    if (events.some((event) => event.domain === 'plan')) responseCache.clear();
    // Coach calls join plans and markets, so every event drops the market answers.
    marketCache.clear();
  });
  const sseHub = new SseHub(
    eventPoller,
    config.api.max_sse_streams,
    config.api.max_sse_streams_per_client,
    config.api.sse_heartbeat_seconds * 1000,
  );
  const eventLogPruner = eventLogPrunerFor(
    config,
    (prune) => storage.pruneEvents(prune),
    () => new Date(clock.now()),
    logger,
  );
  const requestMetrics = new RequestMetrics({
    countLivePlans: () => storage.countLivePlans(),
    eventLag: async () => Math.max(0, (await eventLog.latestEventId()) - eventPoller.position),
  });
  const marketMetrics = new MarketMetrics(requestMetrics.registry, marketReads, () =>
    new Date(clock.now()).toISOString(),
  );
  eventPoller.subscribe((events) => {
    marketMetrics.record(events).catch((error: unknown) => {
      logger.warn({ err: error }, 'cannot count bets for the metrics');
    });
  });
  const sweeper = new MarketSweeper(
    services.markets,
    marketSweepEnabled ? (options.marketSweepIntervalMs ?? config.markets.sweep_seconds * 1000) : 0,
    (outcome) => {
      if ('error' in outcome) logger.warn({ err: outcome.error }, 'market sweep failed; retrying later');
      else if (outcome.cancelled.length > 0)
        logger.info({ cancelled: outcome.cancelled }, 'markets auto-cancelled');
    },
  );

  app.decorate('coachwireConfig', config);
  app.decorate('storage', storage);
  app.decorate('planService', services.plans);
  app.decorate('responseCache', responseCache);
  app.decorate('eventPoller', eventPoller);
  app.decorate('eventLog', eventLog);
  app.decorate('marketService', services.markets);
  app.decorate('pointsService', services.points);
  app.decorate('marketQueries', services.marketQueries);
  app.decorate('marketCache', marketCache);
  app.decorate('marketMetrics', marketMetrics);
  app.decorate('memberNames', memberNames);
  app.decorate('sseHub', sseHub);
  app.decorate('apiKeys', new ApiKeyVerifier(config.api.keys));
  app.decorate('requestMetrics', requestMetrics);
  app.decorate('chartUrl', chartUrlFor(chartsPublicBaseUrl(config)));
  app.decorate('chartStore', chartFiles);

  // Before the first route, so every route's path is known when the 405 routes are added below.
  const routePaths = trackRoutePaths(app);
  registerErrorHandling(app);
  registerJsonBody(app);
  registerRequestLifecycle(app, logger);
  registerConditionalGet(app);
  registerDocumentedResponses(app);

  await registerCors(app, config);
  await registerUnderPressure(app, config);
  await registerRateLimit(app, config);
  await registerOpenApi(app);

  await registerDashboard(app);
  await app.register(rootRoute);
  await app.register(legacyRoutes);
  await app.register(healthRoutes(clock, options.healthDeadlineMs));
  await app.register(metricsRoutes);
  await app.register(v1ReadRoutes, { prefix: '/api/v1' });
  await app.register(v1CalendarRoute(clock), { prefix: '/api/v1' });
  await app.register(v1WriteRoutes, { prefix: '/api/v1' });
  await app.register(v1MarketReadRoutes, { prefix: '/api/v1' });
  await app.register(v1MarketWriteRoutes, { prefix: '/api/v1' });
  await app.register(v1EventsRoute, { prefix: '/api/v1' });
  await app.register(v1ChartRoutes, { prefix: '/api/v1' });
  // After the last route: a method a served path does not answer gets 405 with Allow instead of 404.
  registerMethodNotAllowed(app, routePaths);

  app.addHook('onReady', async () => {
    await eventPoller.start();
    eventLogPruner.start();
    sweeper.start();
  });
  // Streams never end by themselves: end them first so closing waits only for ordinary requests.
  app.addHook('preClose', (done) => {
    sseHub.closeAll();
    done();
  });
  app.addHook('onClose', async () => {
    await eventPoller.stop();
    await eventLogPruner.stop();
    await sweeper.stop();
  });
  return app;
}

function resolveRuntime(options: BuildAppOptions): {
  storage: ApiStorage;
  services: CoachwireServices;
  clock: Clock;
  chartFiles: ChartStore;
  runtimeLogger: Logger | undefined;
  marketReads: MarketReadStore;
  memberNames: Pick<MemberNamePort, 'namesOf'>;
} {
  if ('coachwire' in options) {
    const { coachwire } = options;
    return {
      storage: apiStorageOf(coachwire),
      services: coachwire.services,
      clock: coachwire.clock,
      chartFiles: coachwire.repositories.chartFiles,
      runtimeLogger: coachwire.logger,
      marketReads: coachwire.repositories.marketReads,
      memberNames: coachwire.repositories.memberNames,
    };
  }
  const clock = options.clock ?? systemClock;
  const { config, storage } = options;
  return {
    storage,
    services: createServices({ config, repositories: { plans: storage.repository }, clock }),
    clock,
    chartFiles: new FsChartStore(config.charts.dir),
    runtimeLogger: undefined,
    marketReads: marketReadsUnavailable,
    memberNames: noMemberNames,
  };
}
