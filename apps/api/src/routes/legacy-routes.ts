import { parseTradingDate, ValidationError } from '@coachwire/core';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import type { RenderedBody } from '../http/response-cache.js';
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
// Cached answers carry the ETag computed once when the body was rendered (sendRendered), so these routes
// skip the ETag hook that would only find the header already set.
const cachedLegacyConfig = { legacyErrors: true, handlerEtag: true };

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

  const renderPlan = async (
    key: string,
    coachInput: string | undefined,
    dateInput: string | undefined,
    reply: FastifyReply,
  ): Promise<RenderedBody> => {
    const coach = coachFrom(coachInput);
    const tradingDate = dateFrom(dateInput);
    const generation = responseCache.generation;
    const plan = await planService.find(coach.id, tradingDate);
    const json = plan ? legacyPlanJson(plan, app.chartUrl) : legacyNoPlanJson(coach.id, tradingDate);
    return responseCache.set(key, reply.serialize(json) as string, generation);
  };

  const renderAll = async (
    key: string,
    dateInput: string | undefined,
    reply: FastifyReply,
  ): Promise<RenderedBody> => {
    const tradingDate = dateFrom(dateInput);
    const generation = responseCache.generation;
    const plans = await planService.listDate(tradingDate);
    const byCoach: Record<string, ReturnType<typeof legacyAllEntryJson>> = {};
    for (const plan of plans) byCoach[`coach_${plan.coach}`] = legacyAllEntryJson(plan, app.chartUrl);
    return responseCache.set(key, reply.serialize(byCoach) as string, generation);
  };

  app.get(
    '/api/coach-plans/',
    {
      config: cachedLegacyConfig,
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
      // The date is fixed once: the key and the body must name the same day, even across midnight.
      const dateKey = isBlank(dateInput) ? planService.today() : dateInput!;
      const key = `plan|${coachInput}|${dateKey}`;
      const cached = coachInput === undefined ? undefined : responseCache.get(key);
      return sendRendered(request, reply, cached ?? (await renderPlan(key, coachInput, dateKey, reply)));
    },
  );

  app.get(
    '/api/coach-plans/all',
    {
      config: cachedLegacyConfig,
      schema: {
        tags: ['legacy'],
        summary: 'Every coach plan of a date',
        querystring: LegacyDateQuery,
        response: { 200: LegacyAllJson, ...commonErrorResponses },
      },
    },
    async (request, reply) => {
      const dateInput = request.query.date;
      const dateKey = isBlank(dateInput) ? planService.today() : dateInput!;
      const key = `all|${dateKey}`;
      return sendRendered(request, reply, responseCache.get(key) ?? (await renderAll(key, dateKey, reply)));
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
