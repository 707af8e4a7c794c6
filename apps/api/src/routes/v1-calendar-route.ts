import type { Clock } from '@coachwire/core';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CalendarJson } from '../schemas/calendar-schema.js';
import { commonErrorResponses } from '../schemas/error-schema.js';

/**
 * `GET /api/v1/calendar`: the configured timezone and today's trading date in it, so a client (the web
 * dashboard) shows the same "today" and the same local times as the bot, whatever zone its machine is in.
 */
export function v1CalendarRoute(clock: Clock): FastifyPluginAsyncTypebox {
  return async (app) => {
    const { planService, coachwireConfig } = app;
    app.get(
      '/calendar',
      {
        schema: {
          tags: ['plans'],
          summary: "The configured timezone and today's trading date",
          response: { 200: CalendarJson, ...commonErrorResponses },
        },
      },
      async (_request, reply) => {
        // "today" changes at midnight in the zone: never let a cache keep yesterday's answer.
        reply.header('cache-control', 'no-cache');
        return {
          timezone: coachwireConfig.timezone,
          today: planService.today(),
          now: new Date(clock.now()).toISOString(),
        };
      },
    );
  };
}
