import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { planJson, revisionJson } from '../presenters/plan-json.js';
import { commonErrorResponses } from '../schemas/error-schema.js';
import {
  CoachDateParams,
  CoachListJson,
  PlanHistoryJson,
  PlanIdParams,
  PlanJson,
  PlanListQuery,
  PlanPageJson,
} from '../schemas/plan-schemas.js';
import { sendCached } from './rendered-reply.js';

const notFound = { 404: Type.Ref('ErrorResponse') };
const readConfig = { etag: true };
// Cached answers carry the ETag computed once when the body was rendered (sendCached), so these routes
// skip the ETag hook that would only find the header already set.
const cachedReadConfig = { handlerEtag: true };

/** Reads of the versioned API: plans (filtered, paginated), one plan, its history, the coaches. */
export const v1ReadRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { planService, responseCache, eventLog } = app;
  const toJson = (plan: Parameters<typeof planJson>[0]) =>
    planJson(plan, planService.coachName(plan.coach), app.chartUrl);
  // Plan answers are kept per URL and data version: every change of a plan (the bot's from its own
  // process included, and a chart getting its archived URL) appends to the event log, so a body rendered
  // at the log's current high-water mark is still exact. One indexed max() replaces the page's queries,
  // its serialization and the hash of its body (a page of 50 is some 35 KB).
  const cached = async (request: FastifyRequest, reply: FastifyReply, produce: () => Promise<unknown>) =>
    sendCached(request, reply, responseCache, `v1|${request.url}`, produce, await eventLog.latestEventId());

  app.get(
    '/plans',
    {
      config: cachedReadConfig,
      schema: {
        tags: ['plans'],
        summary: 'Live plans, newest trading date first, one page at a time',
        querystring: PlanListQuery,
        response: { 200: PlanPageJson, ...commonErrorResponses },
      },
    },
    async (request, reply) =>
      cached(request, reply, async () => {
        const query = request.query;
        const page = await planService.list({
          tradingDate: query.date,
          from: query.from,
          to: query.to,
          coach: query.coach,
          authorId: query.author_id,
          cursor: query.cursor,
          limit: query.limit,
        });
        return { data: page.items.map(toJson), next_cursor: page.nextCursor };
      }),
  );

  app.get(
    '/plans/:id',
    {
      config: cachedReadConfig,
      schema: {
        tags: ['plans'],
        summary: 'One live plan by id',
        params: PlanIdParams,
        response: { 200: PlanJson, ...notFound, ...commonErrorResponses },
      },
    },
    async (request, reply) =>
      cached(request, reply, async () => toJson(await planService.get({ planId: request.params.id }))),
  );

  app.get(
    '/plans/:id/history',
    {
      config: cachedReadConfig,
      schema: {
        tags: ['plans'],
        summary: 'The previous texts of a plan, newest first',
        params: PlanIdParams,
        response: { 200: PlanHistoryJson, ...notFound, ...commonErrorResponses },
      },
    },
    async (request, reply) =>
      cached(request, reply, async () => {
        const { revisions } = await planService.history({ planId: request.params.id });
        return { data: revisions.map(revisionJson) };
      }),
  );

  app.get(
    '/coaches',
    {
      config: readConfig,
      schema: {
        tags: ['plans'],
        summary: 'The configured coaches',
        response: { 200: CoachListJson, ...commonErrorResponses },
      },
    },
    async () => ({ data: planService.coaches.map((coach) => ({ id: coach.id, name: coach.name })) }),
  );

  app.get(
    '/coaches/:coach/plans/:date',
    {
      config: cachedReadConfig,
      schema: {
        tags: ['plans'],
        summary: "A coach's live plan for a trading date",
        params: CoachDateParams,
        response: { 200: PlanJson, ...notFound, ...commonErrorResponses },
      },
    },
    async (request, reply) =>
      cached(request, reply, async () =>
        toJson(await planService.get({ coach: request.params.coach, tradingDate: request.params.date })),
      ),
  );
};
