import { parseTradingDate, ValidationError } from '@coachwire/core';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  legacyAllEntryJson,
  legacyHistoryJson,
  legacyNoPlanJson,
  legacyPlanJson,
} from '../presenters/legacy-plan-json.js';
import { commonErrorResponses } from '../schemas/error-schema.js';
import {
  LegacyAllJson,
  LegacyDateQuery,
  LegacyHistoryJson,
  LegacyPlanJson,
  LegacyPlanQuery,
} from '../schemas/legacy-schemas.js';
import { sendRendered } from './rendered-reply.js';

const legacyConfig = { legacyErrors: true, etag: true };

function isBlank(input: string | undefined): boolean {
  return input === undefined || input.trim() === '';
}

/** The old Flask API's plan endpoints, answered in its exact shapes and error sentences. */
export const legacyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { planService, responseCache } = app;

  const coachFrom = (input: string | undefined) => {
    if (input === undefined || input.trim() === '') {
      throw new ValidationError('Missing required parameter: coach', 'coach');
    }
    return planService.resolveCoach(input);
  };
  const dateFrom = (input: string | undefined) =>
    isBlank(input) ? planService.today() : parseTradingDate(input!);

  app.get(
    '/api/coach-plans/',
    {
      config: legacyConfig,
      schema: {
        tags: ['legacy'],
        summary: "A coach's plan for a date",
        description:
          'With no plan, answers 200 with `plan: "No plan available for coach_d on DATE"` and no charts.',
        querystring: LegacyPlanQuery,
        response: { 200: LegacyPlanJson, ...commonErrorResponses },
      },
    },
    async (request, reply) => {
      const { coach: coachInput, date: dateInput } = request.query;
      // Keyed by the raw query: a hit skips coach and date parsing (only valid input is ever stored).
      const key = `plan|${coachInput}|${isBlank(dateInput) ? planService.today() : dateInput}`;
      let rendered = coachInput === undefined ? undefined : responseCache.get(key);
      if (rendered === undefined) {
        const coach = coachFrom(coachInput);
        const tradingDate = dateFrom(dateInput);
        const generation = responseCache.generation;
        const plan = await planService.find(coach.id, tradingDate);
        const json = plan ? legacyPlanJson(plan, app.chartUrl) : legacyNoPlanJson(coach.id, tradingDate);
        const body = reply.serialize(json) as string;
        rendered = responseCache.set(key, body, generation);
      }
      return sendRendered(request, reply, rendered);
    },
  );

  app.get(
    '/api/coach-plans/all',
    {
      config: legacyConfig,
      schema: {
        tags: ['legacy'],
        summary: 'Every coach plan of a date',
        querystring: LegacyDateQuery,
        response: { 200: LegacyAllJson, ...commonErrorResponses },
      },
    },
    async (request, reply) => {
      const dateInput = request.query.date;
      const key = `all|${isBlank(dateInput) ? planService.today() : dateInput}`;
      let rendered = responseCache.get(key);
      if (rendered === undefined) {
        const tradingDate = dateFrom(dateInput);
        const generation = responseCache.generation;
        const plans = await planService.listDate(tradingDate);
        const byCoach: Record<string, ReturnType<typeof legacyAllEntryJson>> = {};
        for (const plan of plans) byCoach[`coach_${plan.coach}`] = legacyAllEntryJson(plan, app.chartUrl);
        rendered = responseCache.set(key, reply.serialize(byCoach) as string, generation);
      }
      return sendRendered(request, reply, rendered);
    },
  );

  app.get(
    '/api/coach-plans/history',
    {
      config: legacyConfig,
      schema: {
        tags: ['legacy'],
        summary: "The edits of a coach's plan, newest first",
        querystring: LegacyPlanQuery,
        response: { 200: LegacyHistoryJson, ...commonErrorResponses },
      },
    },
    async (request) => {
      const coach = coachFrom(request.query.coach);
      const plan = await planService.find(coach.id, dateFrom(request.query.date));
      if (!plan) return { history: [] };
      const { revisions } = await planService.history({ planId: plan.id });
      return legacyHistoryJson(revisions);
    },
  );
};
