import { type BotStatus, type Clock, heartbeatIsFresh } from '@coachwire/core';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { type BotStateJson, HealthJson, ProbeJson } from '../schemas/operations-schemas.js';

/**
 * What the bot is doing, from its heartbeat row. A row that stopped being refreshed while the bot said it
 * was running means the process is gone or hung: `not_running`. Failed and stopped rows keep their state,
 * since the bot writes them last on purpose.
 */
export function botState(status: BotStatus | null, now: Date): BotStateJson {
  if (!status) return 'not_running';
  const state = status.state ?? (status.connected ? 'connected' : 'reconnecting');
  if (state === 'failed' || state === 'stopped') return state;
  return heartbeatIsFresh(status, now.getTime()) ? state : 'not_running';
}

/**
 * How long `/health` and `/health/ready` wait for the database before answering that it is down. A PostgreSQL
 * pool whose connections are all busy queues the probe for up to its wait timeout (30 s), twice for `/health`:
 * a monitor saw no answer for about a minute, then a 503. A database that does not answer in this time is down
 * for the monitor's purpose; shorter than `coachwire health`'s default timeout (5 s), so that it reports why.
 */
export const HEALTH_DEADLINE_MS = 3_000;

/** `work`'s result, or a rejection once `deadlineMs` have passed without one. */
async function within<T>(work: Promise<T>, deadlineMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the database did not answer within ${deadlineMs} ms`)),
      deadlineMs,
    );
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** `/health` (the old shape), and the probes an orchestrator uses: `/health/live`, `/health/ready`. */
export function healthRoutes(clock: Clock, deadlineMs = HEALTH_DEADLINE_MS): FastifyPluginAsyncTypebox {
  // A 503 is also what load shedding answers, in the API's error shape, before the route runs: with only the
  // report's shape allowed, that answer failed to serialize and went out as a 500.
  const unavailable = (report: typeof HealthJson | typeof ProbeJson) =>
    Type.Union([report, Type.Ref('ErrorResponse')]);
  return async (app) => {
    const { storage } = app;
    // Monitors are not rate limited: behind a proxy every client shares one address, and a flood that used up
    // its limit made the container's own healthcheck fail (429), so the orchestrator restarted a working API.
    // Load shedding (503 while the event loop lags) still applies.
    const unlimited = { rateLimit: false as const };
    const probe = { public: true, ...unlimited };
    // Liveness is "the process answers": a lagging event loop (a burst of work, a slow disk) is no reason to
    // restart it. Shed, /health/live answered 503 and the orchestrator killed a working API, dropping every event
    // stream, while the lag went on.
    const neverShed = { ...probe, pressureHandler: () => undefined };

    app.get(
      '/health',
      {
        config: unlimited,
        schema: {
          tags: ['operations'],
          summary: 'Database and bot status; 503 when the database does not answer',
          response: { 200: HealthJson, 503: unavailable(HealthJson) },
        },
      },
      async (_request, reply) => {
        const now = new Date(clock.now());
        let planCount: number | undefined;
        try {
          planCount = await within(
            storage.ping().then(() => storage.countLivePlans()),
            deadlineMs,
          );
        } catch (error) {
          app.log.warn({ err: error }, 'health check: database unavailable');
        }
        let bot: BotStatus | null = null;
        // A database that is down has no heartbeat to read either: the answer does not wait for it twice.
        if (planCount !== undefined) {
          try {
            bot = await within(storage.readBotStatus(), deadlineMs);
          } catch {
            // The heartbeat is unknown: reported as the bot not running.
          }
        }
        const databaseUp = planCount !== undefined;
        return reply.code(databaseUp ? 200 : 503).send({
          status: databaseUp ? 'healthy' : 'unhealthy',
          timestamp: now.toISOString(),
          components: {
            database: planCount !== undefined ? { status: 'up', plan_count: planCount } : { status: 'down' },
            discord_bot: {
              status: botState(bot, now) === 'connected' ? 'connected' : 'disconnected',
              state: botState(bot, now),
              last_error: bot?.lastError ?? null,
              mock: bot?.mock ?? false,
              last_heartbeat: bot?.heartbeatAt ?? null,
              latency_ms: bot?.latencyMs ?? null,
              guilds: bot?.guilds ?? 0,
            },
          },
        });
      },
    );

    app.get(
      '/health/live',
      {
        config: neverShed,
        schema: {
          tags: ['operations'],
          summary: 'Always 200 while the process runs',
          response: { 200: ProbeJson },
        },
      },
      async () => ({ status: 'ok' as const }),
    );

    app.get(
      '/health/ready',
      {
        config: probe,
        schema: {
          tags: ['operations'],
          summary: '200 when the database answers, else 503',
          response: { 200: ProbeJson, 503: unavailable(ProbeJson) },
        },
      },
      async (_request, reply) => {
        try {
          await within(storage.ping(), deadlineMs);
          return { status: 'ok' as const };
        } catch {
          return reply.code(503).send({ status: 'unavailable' });
        }
      },
    );
  };
}
