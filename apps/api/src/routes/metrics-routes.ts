import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { commonErrorResponses } from '../schemas/error-schema.js';
import { MetricsJson } from '../schemas/operations-schemas.js';

/** `/metrics` (the old JSON shape) and `/metrics/prometheus` (text exposition format). */
export const metricsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { planService, requestMetrics, marketMetrics } = app;

  app.get(
    '/metrics',
    {
      schema: {
        tags: ['operations'],
        summary: 'Request counts and database totals (JSON)',
        response: { 200: MetricsJson, ...commonErrorResponses },
      },
    },
    async () => {
      const stats = await planService.stats();
      const { total, success, error } = requestMetrics;
      return {
        timestamp: new Date().toISOString(),
        uptime_seconds: Math.round(requestMetrics.uptimeSeconds * 10) / 10,
        requests: {
          total,
          success,
          error,
          error_rate_percent: total === 0 ? 0 : Math.round((error / total) * 10_000) / 100,
        },
        database: {
          total_plans: stats.totalPlans,
          total_charts: stats.totalCharts,
          total_edits: stats.totalEdits,
          latest_plan: stats.latestPlanAt,
        },
        markets: await marketMetrics.summary(),
      };
    },
  );

  app.get(
    '/metrics/prometheus',
    {
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics: requests by route and status, latency, plans, event lag, process',
        // Only the metrics are text: a refusal (401 when reads need a key) is JSON, as on every route.
        response: {
          200: {
            description: "Prometheus's text exposition format.",
            content: { 'text/plain': { schema: Type.String() } },
          },
        },
      },
    },
    async (_request, reply) => {
      const text = await requestMetrics.registry.metrics();
      return reply.type(requestMetrics.registry.contentType).send(text);
    },
  );
};
