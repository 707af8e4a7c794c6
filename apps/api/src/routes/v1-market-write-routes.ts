import {
  type Actor,
  assertMayOpenMarketOnPlan,
  isCoachwireError,
  type MarketIdentity,
  type MarketResolution,
  NotFoundError,
  optionLabelled,
  SHARE_UNIT,
  toProbabilityUnits,
  ValidationError,
} from '@coachwire/core';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type TSchema, Type } from 'typebox';
import { apiKeyActor } from '../http/api-keys.js';
import { unauthorized } from '../http/http-errors.js';
import { idempotentRequest } from '../http/idempotency.js';
import { QuotedPriceMovedError } from '../http/quoted-errors.js';
import {
  betResultJson,
  marketJson,
  quoteJson,
  sellResultJson,
  settledMarketJson,
} from '../presenters/market-json.js';
import { commonErrorResponses } from '../schemas/error-schema.js';
import {
  BetBody,
  CancelBody,
  CreateMarketBody,
  GrantBody,
  GuildUserParams,
  IdempotencyHeaders,
  MarketIdParams,
  QuoteBody,
  ResolveBody,
  SellBody,
  UnresolveBody,
} from '../schemas/market-request-schemas.js';
import {
  BalanceJson,
  BetResultJson,
  QuoteJson,
  SellResultJson,
  SettledMarketJson,
} from '../schemas/market-schemas.js';

const errorRef = Type.Ref('ErrorResponse');
const writeErrors = { 401: errorRef, 403: errorRef, 404: errorRef, 409: errorRef, ...commonErrorResponses };
const security = [{ apiKey: [] }];
const tags = ['markets'];
const idempotencyNote =
  'Needs an `Idempotency-Key` header (1–255 printable ASCII). A retry with the same key and body answers ' +
  'the stored result with `Idempotent-Replayed: true`, a refusal included (not enough points, market closed, ' +
  'price moved: a 4xx that the request met once it ran); a 400 for the request itself stores nothing. What ' +
  'the first request did (its bet, shares, points and balance) is answered as it was; a market in the answer ' +
  'is as it is now. The same key with another body is a 409. Keys are scoped to the API key and the guild.';

/** The route options of a state-changing POST: its schemas and the Idempotency-Key header it needs. */
function write<B extends TSchema, R extends Record<number, TSchema>, P extends TSchema>(
  summary: string,
  body: B,
  response: R,
  params: P,
) {
  return {
    schema: {
      tags,
      summary,
      description: idempotencyNote,
      security,
      params,
      headers: IdempotencyHeaders,
      body,
      response: { ...response, ...writeErrors },
    },
  };
}

/**
 * The option a body names: its id, or its label as core compares labels (any case, however composed, as the
 * bot reads it). Unknown: 404 naming the valid ones.
 */
export function optionIndex(market: MarketIdentity, ref: number | string, field = 'option'): number {
  const options = market.options;
  if (typeof ref === 'string') {
    const labelled = optionLabelled(market, ref);
    if (labelled !== null) return labelled;
  }
  const id = typeof ref === 'number' ? ref : /^\d$/.test(ref.trim()) ? Number(ref.trim()) : undefined;
  const found = options.find((option) => option.index === id);
  if (found) return found.index;
  const valid = options.map((option) => `${option.index} (${option.label})`).join(', ');
  throw new NotFoundError(`Market #${market.id} has no ${field} '${ref}'. Its options are ${valid}.`);
}

/** Market writes for integrations: each needs an API key and acts for the Discord user in `user_id`. */
export const v1MarketWriteRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const {
    marketQueries,
    marketService,
    pointsService,
    marketCache,
    eventPoller,
    marketMetrics,
    planService,
  } = app;

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
  const user = (body: { user_id: string; user_name?: string | undefined }): Actor => ({
    id: body.user_id,
    name: body.user_name ?? body.user_id,
  });
  // An API key acts with admin rights for settlements and grants.
  const admin = (body: { user_id: string; user_name?: string | undefined }): Actor => ({
    ...user(body),
    hasAdminPermission: true,
  });
  // This process's change is visible at once; the poller then tells SSE clients and the metrics.
  const afterWrite = () => {
    marketCache.clear();
    void eventPoller.pollNow();
  };

  app.post(
    '/markets',
    {
      schema: {
        tags,
        summary: 'Open a market; the acting user pays the subsidy',
        description: idempotencyNote,
        security,
        headers: IdempotencyHeaders,
        body: CreateMarketBody,
        response: { 201: Type.Ref('Market'), ...writeErrors },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const idempotent = idempotentRequest(request, reply, body.guild_id);
      // A market on a plan names a live plan of its own guild (a plan posted without a guild fits any), and is
      // that plan's coach's call: the bot's coach scoreboard finds calls by coach. Only the plan's author (or an
      // admin) opens it, since its creator may resolve the call.
      let coachId: string | undefined;
      if (body.plan_id !== undefined) {
        const plan = await planService.findById(body.plan_id);
        if (!plan || (plan.guildId !== null && plan.guildId !== body.guild_id)) {
          throw new NotFoundError(`No plan with id ${body.plan_id} in guild ${body.guild_id}.`);
        }
        assertMayOpenMarketOnPlan(user(body), plan, marketService.policy);
        coachId = plan.coach;
      }
      const market = await marketService.create(user(body), idempotent, {
        question: body.question,
        description: body.description,
        options: body.options,
        mechanism: body.mechanism,
        closesAt: body.closes_at,
        subsidy: body.subsidy,
        initialProbability: body.initial_probability,
        planId: body.plan_id,
        coachId,
      });
      afterWrite();
      return reply
        .code(201)
        .header('location', `/api/v1/markets/${market.id}`)
        .send(marketJson(await marketQueries.marketAfterWrite(market.id)));
    },
  );

  app.post(
    '/markets/:id/quote',
    {
      schema: {
        tags,
        summary: 'What a bet (amount) or a sell (shares) would give now; changes nothing',
        security,
        params: MarketIdParams,
        body: QuoteBody,
        response: { 200: QuoteJson, ...writeErrors },
      },
    },
    async (request) => {
      const summary = await marketQueries.market(request.params.id);
      const { guildId, id } = summary.market;
      const option = optionIndex(summary.market, request.body.option);
      if ((request.body.side ?? 'buy') === 'buy') {
        if (request.body.amount === undefined)
          throw new ValidationError('A buy quote needs amount.', 'amount');
        return quoteJson(await marketService.quoteBuy(guildId, id, option, request.body.amount), 'buy');
      }
      if (request.body.shares === undefined)
        throw new ValidationError('A sell quote needs shares.', 'shares');
      const shares = Math.round(request.body.shares * SHARE_UNIT);
      return quoteJson(await marketService.quoteSell(guildId, id, option, shares), 'sell');
    },
  );

  app.post(
    '/markets/:id/bets',
    write(
      "Bet points on an option (its id or label); answers the bet, the market and the user's balance",
      BetBody,
      {
        201: BetResultJson,
      },
      MarketIdParams,
    ),
    async (request, reply) => {
      const started = performance.now();
      const body = request.body;
      // Guild and options never change: remembered, so a bet reads the market only inside its transaction.
      const market = await marketQueries.marketIdentity(request.params.id);
      const option = optionIndex(market, body.option);
      const idempotent = idempotentRequest(request, reply, market.guildId);
      const minShares = body.min_shares === undefined ? undefined : Math.ceil(body.min_shares * SHARE_UNIT);
      const request_ = { marketId: market.id, option, points: body.amount, minShares };
      const result = await marketService.buy(user(body), idempotent, request_).catch(async (error) => {
        if (!isCoachwireError(error) || error.code !== 'PRICE_MOVED') throw error;
        const fresh = await marketService.quoteBuy(market.guildId, market.id, option, body.amount);
        throw new QuotedPriceMovedError(error, quoteJson(fresh, 'buy'));
      });
      afterWrite();
      const json = betResultJson(result, body.user_id, await marketQueries.marketAfterWrite(market.id));
      marketMetrics.observeBet(performance.now() - started);
      return reply.code(201).send(json);
    },
  );

  app.post(
    '/markets/:id/sells',
    write(
      'Sell shares of an option back to an AMM market',
      SellBody,
      { 201: SellResultJson },
      MarketIdParams,
    ),
    async (request, reply) => {
      const body = request.body;
      const market = await marketQueries.marketIdentity(request.params.id);
      const option = optionIndex(market, body.option);
      const idempotent = idempotentRequest(request, reply, market.guildId);
      const shares = Math.round(body.shares * SHARE_UNIT);
      const sell = { marketId: market.id, option, shares, minPoints: body.min_points };
      const result = await marketService.sell(user(body), idempotent, sell).catch(async (error) => {
        if (!isCoachwireError(error) || error.code !== 'PRICE_MOVED') throw error;
        const fresh = await marketService.quoteSell(market.guildId, market.id, option, shares);
        throw new QuotedPriceMovedError(error, quoteJson(fresh, 'sell'));
      });
      afterWrite();
      return reply
        .code(201)
        .send(sellResultJson(result, body.user_id, await marketQueries.marketAfterWrite(market.id)));
    },
  );

  app.post(
    '/markets/:id/resolve',
    write(
      'Resolve to an option (id or label), or to MKT with a probability (cpmm)',
      ResolveBody,
      {
        200: SettledMarketJson,
      },
      MarketIdParams,
    ),
    async (request, reply) => {
      const body = request.body;
      const summary = await marketQueries.market(request.params.id);
      let resolution: MarketResolution;
      if (typeof body.outcome === 'string' && body.outcome.trim().toUpperCase() === 'MKT') {
        if (body.probability === undefined) {
          throw new ValidationError('Resolving to MKT needs a probability from 0 to 1.', 'probability');
        }
        resolution = { kind: 'probability', probability: toProbabilityUnits(body.probability) };
      } else {
        resolution = { kind: 'option', option: optionIndex(summary.market, body.outcome, 'outcome') };
      }
      const idempotent = idempotentRequest(request, reply, summary.market.guildId);
      const result = await marketService.resolve(admin(body), idempotent, summary.market.id, resolution);
      afterWrite();
      return settledMarketJson(await marketQueries.marketAfterWrite(summary.market.id), result);
    },
  );

  app.post(
    '/markets/:id/cancel',
    write(
      'Cancel a market and refund every net stake',
      CancelBody,
      { 200: SettledMarketJson },
      MarketIdParams,
    ),
    async (request, reply) => {
      const body = request.body;
      const summary = await marketQueries.market(request.params.id);
      const idempotent = idempotentRequest(request, reply, summary.market.guildId);
      const result = await marketService.cancel(
        admin(body),
        idempotent,
        summary.market.id,
        body.reason ?? null,
      );
      afterWrite();
      return settledMarketJson(await marketQueries.marketAfterWrite(summary.market.id), result);
    },
  );

  app.post(
    '/markets/:id/unresolve',
    write(
      'Undo a resolution within the unresolve window (reversing transfers)',
      UnresolveBody,
      {
        200: SettledMarketJson,
      },
      MarketIdParams,
    ),
    async (request, reply) => {
      const body = request.body;
      const summary = await marketQueries.market(request.params.id);
      const idempotent = idempotentRequest(request, reply, summary.market.guildId);
      const result = await marketService.unresolve(admin(body), idempotent, summary.market.id, body.reason);
      afterWrite();
      return settledMarketJson(await marketQueries.marketAfterWrite(summary.market.id), result);
    },
  );

  app.post(
    '/guilds/:guildId/users/:userId/grants',
    write(
      'Grant (positive amount) or remove (negative) points; admin, audited',
      GrantBody,
      { 201: BalanceJson },
      GuildUserParams,
    ),
    async (request, reply) => {
      const { guildId, userId } = request.params;
      const body = request.body;
      if (body.amount === 0) throw new ValidationError('The amount must not be 0.', 'amount');
      const credential = request.credential;
      if (credential.kind !== 'key') throw unauthorized('The API key is not valid.');
      const acting =
        body.user_id === undefined ? apiKeyActor(credential.name) : { id: body.user_id, name: body.user_id };
      const idempotent = idempotentRequest(request, reply, guildId);
      const result = await pointsService.grant(
        { ...acting, hasAdminPermission: true },
        idempotent,
        userId,
        body.amount,
        body.reason,
      );
      afterWrite();
      return reply.code(201).send({ guild_id: guildId, user_id: userId, balance: result.balance });
    },
  );
};
