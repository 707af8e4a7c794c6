import { type CoachwireConfig, coachesFromConfig, createLogger, type Logger } from '@coachwire/config';
import { type Clock, PlanService, systemClock } from '@coachwire/core';
import { type CoachwireDatabase, FsChartStore, openDatabase } from '@coachwire/storage';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { type ApiStorage, storageFromDatabase } from './api-storage.js';
import { PlanEventPoller } from './events/plan-event-poller.js';
import { SseHub } from './events/sse-hub.js';
import './fastify-types.js';
import { ApiKeyVerifier } from './http/api-keys.js';
import { deferredChildLoggerFactory } from './http/deferred-request-logger.js';
import { requestIdFor } from './http/request-id.js';
import { RequestMetrics } from './http/request-metrics.js';
import { ResponseCache } from './http/response-cache.js';
import { registerConditionalGet } from './plugins/conditional-get.js';
import { registerCors } from './plugins/cors.js';
import { registerDashboard } from './plugins/dashboard.js';
import { registerErrorHandling } from './plugins/error-handling.js';
import { registerRateLimit, registerUnderPressure } from './plugins/external-plugins.js';
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
import { v1ReadRoutes } from './routes/v1-read-routes.js';
import { v1WriteRoutes } from './routes/v1-write-routes.js';
import { TimedRepository } from './timed-repository.js';

export interface BuildAppOptions {
  readonly config: CoachwireConfig;
  /**
   * An open database (the caller closes it), a path to open (the app closes it), or an ApiStorage.
   * The schema must already be migrated.
   */
  readonly database: CoachwireDatabase | ApiStorage | string;
  /** Defaults to createLogger with the config's logging section. */
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** How often the plan event table is polled (default 250 ms). */
  readonly eventPollIntervalMs?: number;
}

/** Largest request body accepted: a plan is at most a few KB of text plus chart links. */
const BODY_LIMIT_BYTES = 256 * 1024;

/** Builds the API without listening: external plugins, then app services, then routes. */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger({ config: config.logging, name: 'api' });
  const { storage, ownsStorage } = resolveStorage(options.database, logger);

  const app = Fastify({
    loggerInstance: logger,
    // Each request is logged once, by our onResponse hook, with route, status and duration.
    logController: new LogController({ disableRequestLogging: true }),
    // Request children are created only when a request writes a line (the request id is still on it).
    childLoggerFactory: deferredChildLoggerFactory,
    genReqId: requestIdFor,
    requestIdHeader: false,
    trustProxy: config.api.trust_proxy,
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as FastifyInstance;

  const repository = new TimedRepository(storage.repository, (call, durationMs) =>
    logger.warn({ call, duration_ms: Math.round(durationMs) }, 'slow database call'),
  );
  const planService = new PlanService({
    repository,
    coaches: coachesFromConfig(config),
    timezone: config.timezone,
    clock,
    admins: { userIds: config.admins.user_ids, roleIds: config.admins.role_ids },
    maxCharts: config.discord.max_chart_attachments,
    editWindowMinutes: config.discord.edit_window_minutes,
  });
  const eventPoller = new PlanEventPoller(repository, options.eventPollIntervalMs ?? 250, (error) =>
    logger.warn({ err: error }, 'cannot read plan events; retrying'),
  );
  const responseCache = new ResponseCache(config.cache.max_size, config.cache.ttl_seconds * 1000);
  eventPoller.subscribe(() => responseCache.clear());
  const sseHub = new SseHub(eventPoller, config.api.max_sse_streams, config.api.sse_heartbeat_seconds * 1000);
  const requestMetrics = new RequestMetrics({
    countLivePlans: () => storage.countLivePlans(),
    eventLag: async () => Math.max(0, (await storage.repository.latestEventId()) - eventPoller.position),
  });

  app.decorate('coachwireConfig', config);
  app.decorate('storage', storage);
  app.decorate('planService', planService);
  app.decorate('responseCache', responseCache);
  app.decorate('eventPoller', eventPoller);
  app.decorate('sseHub', sseHub);
  app.decorate('apiKeys', new ApiKeyVerifier(config.api.keys));
  app.decorate('requestMetrics', requestMetrics);
  app.decorate('chartUrl', chartUrlFor(chartsPublicBaseUrl(config)));
  app.decorate('chartStore', new FsChartStore(config.charts.dir));

  registerErrorHandling(app);
  registerRequestLifecycle(app, logger);
  registerConditionalGet(app);

  await registerCors(app, config);
  await registerUnderPressure(app, config);
  await registerRateLimit(app, config);
  await registerOpenApi(app);

  await registerDashboard(app);
  await app.register(rootRoute);
  await app.register(legacyRoutes);
  await app.register(healthRoutes(clock));
  await app.register(metricsRoutes);
  await app.register(v1ReadRoutes, { prefix: '/api/v1' });
  await app.register(v1CalendarRoute(clock), { prefix: '/api/v1' });
  await app.register(v1WriteRoutes, { prefix: '/api/v1' });
  await app.register(v1EventsRoute, { prefix: '/api/v1' });
  await app.register(v1ChartRoutes, { prefix: '/api/v1' });

  app.addHook('onReady', () => eventPoller.start());
  // Streams never end by themselves: end them first so closing waits only for ordinary requests.
  app.addHook('preClose', (done) => {
    sseHub.closeAll();
    done();
  });
  app.addHook('onClose', async () => {
    await eventPoller.stop();
    if (ownsStorage) storage.close();
  });
  return app;
}

function resolveStorage(
  database: BuildAppOptions['database'],
  logger: Logger,
): { storage: ApiStorage; ownsStorage: boolean } {
  if (typeof database === 'string') {
    return { storage: storageFromDatabase(openDatabase({ path: database, logger })), ownsStorage: true };
  }
  if ('repository' in database) return { storage: database, ownsStorage: false };
  return { storage: storageFromDatabase(database), ownsStorage: false };
}
