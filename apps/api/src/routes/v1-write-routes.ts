import { type ChartInput, cancelCallsOfDeletedPlan, isImageChart, ValidationError } from '@coachwire/core';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { apiKeyActor } from '../http/api-keys.js';
import { unauthorized } from '../http/http-errors.js';
import { planJson } from '../presenters/plan-json.js';
import { commonErrorResponses } from '../schemas/error-schema.js';
import { CreatePlanBody, PlanIdParams, PlanJson, UpdatePlanBody } from '../schemas/plan-schemas.js';

const errorRef = Type.Ref('ErrorResponse');
const writeErrors = { 401: errorRef, 403: errorRef, 404: errorRef, 409: errorRef, ...commonErrorResponses };
const security = [{ apiKey: [] }];

interface ChartBody {
  readonly url: string;
  readonly filename: string;
  readonly content_type?: string | null;
}

/**
 * The charts a body lists. A chart that is not an image is refused: Discord messages carry other files beside
 * the charts, and the bot skips those, but a caller of the API named this one as a chart.
 */
function chartInputs(charts: readonly ChartBody[] | undefined): ChartInput[] | undefined {
  return charts?.map((chart, index) => {
    const input = { url: chart.url, filename: chart.filename, contentType: chart.content_type ?? null };
    if (!isImageChart(input)) {
      throw new ValidationError(
        `charts[${index}] is not an image: send png, jpg, gif, webp or bmp (by content_type, or by the filename's extension).`,
        `charts[${index}]`,
      );
    }
    return input;
  });
}

/** Writes for integrations that are not Discord; each needs an API key, whose name becomes the author. */
export const v1WriteRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { planService, responseCache, eventPoller, marketService, marketQueries, marketCache } = app;
  const toJson = (plan: Parameters<typeof planJson>[0]) =>
    planJson(plan, planService.coachName(plan.coach), app.chartUrl);

  // Before body validation, so a caller without a valid key learns that first.
  app.addHook('preValidation', (request, _reply, done) => {
    const kind = request.credential.kind;
    if (kind === 'key') done();
    else
      done(
        unauthorized(
          kind === 'none'
            ? 'Writing needs an API key: send Authorization: Bearer <key>.'
            : 'The API key is not valid.',
        ),
      );
  });
  const actorOf = (request: FastifyRequest) => {
    const credential = request.credential;
    if (credential.kind !== 'key') throw unauthorized('The API key is not valid.');
    return apiKeyActor(credential.name);
  };
  // This process's own change is visible at once; the poller then tells SSE clients.
  const afterWrite = () => {
    responseCache.clear();
    void eventPoller.pollNow();
  };

  app.post(
    '/plans',
    {
      schema: {
        tags: ['plans'],
        summary: "Post a coach's plan (replaces the key's own plan for that coach and date)",
        description: 'Answers 201 when a plan was created, 200 when the live plan was replaced.',
        security,
        body: CreatePlanBody,
        response: { 200: PlanJson, 201: PlanJson, ...writeErrors },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const body = request.body;
      const charts = chartInputs(body.charts);
      const result = await planService.post(actor, {
        coach: body.coach,
        text: body.text,
        tradingDate: body.date ?? body.trading_date,
        ...(charts ? { charts } : {}),
      });
      afterWrite();
      if (result.created) reply.code(201).header('location', `/api/v1/plans/${result.plan.id}`);
      return reply.send(toJson(result.plan));
    },
  );

  app.patch(
    '/plans/:id',
    {
      schema: {
        tags: ['plans'],
        summary: 'Replace the text (and charts, when given) of a plan the key wrote',
        security,
        params: PlanIdParams,
        body: UpdatePlanBody,
        response: { 200: PlanJson, ...writeErrors },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const result = await planService.edit(
        actor,
        { planId: request.params.id },
        { text: request.body.text, charts: chartInputs(request.body.charts) },
      );
      afterWrite();
      return toJson(result.plan);
    },
  );

  app.delete(
    '/plans/:id',
    {
      schema: {
        tags: ['plans'],
        summary: 'Delete a plan the key wrote (soft delete)',
        security,
        params: PlanIdParams,
        response: { 204: Type.Null({ description: 'Deleted.' }), ...writeErrors },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const plan = await planService.delete(actor, { planId: request.params.id });
      // Its coach-call markets are cancelled with refunds, as when the bot deletes a plan. The plan stays
      // deleted if that fails: an admin can cancel the market, as the bot tells its members.
      try {
        await cancelCallsOfDeletedPlan(marketService, marketQueries, plan.id);
        marketCache.clear();
      } catch (error) {
        request.log.warn({ err: error, planId: plan.id }, 'could not cancel the deleted plan’s market');
      }
      afterWrite();
      return reply.code(204).send(null);
    },
  );
};
