import type { MarketSummary } from '@coachwire/core';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import {
  coachCallsJson,
  historyJson,
  leaderboardJson,
  marketJson,
  tradeJson,
  userJson,
} from '../presenters/market-json.js';
import { commonErrorResponses } from '../schemas/error-schema.js';
import {
  CoachCallsQuery,
  CoachParams,
  GuildParams,
  GuildUserParams,
  HistoryQuery,
  LeaderboardQuery,
  MarketIdParams,
  MarketListQuery,
  TradeListQuery,
} from '../schemas/market-request-schemas.js';
import {
  CoachCallsJson,
  HistoryJson,
  LeaderboardJson,
  MarketPageJson,
  TradePageJson,
  UserJson,
} from '../schemas/market-schemas.js';
import { type ExpiringAnswer, sendCachedUntil } from './rendered-reply.js';

const notFound = { 404: Type.Ref('ErrorResponse') };
const readConfig = { etag: true };
// Cached answers carry the ETag computed once when the body was rendered (sendCached), so these routes
// skip the ETag hook that would only find the header already set.
const cachedReadConfig = { handlerEtag: true };
const tags = ['markets'];

/**
 * An answer showing these markets, valid until the first of the open ones closes: its status (and, for coach
 * calls, the probability at close) changes then with no event to drop it from the cache.
 */
function showing(json: unknown, markets: readonly MarketSummary[]): ExpiringAnswer {
  let until: number | undefined;
  for (const summary of markets) {
    if (summary.phase !== 'open') continue;
    const closesAt = Date.parse(summary.market.closesAt);
    until = until === undefined ? closesAt : Math.min(until, closesAt);
  }
  return { json, until };
}

/** Reads of markets, leaderboards, users and coach calls. */
export const v1MarketReadRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { marketQueries, marketCache, memberNames } = app;

  // The answer's serialized body, from the market cache when this URL was rendered since the last market
  // event; the cache is dropped on every event (from any process), after a few seconds, and when a market
  // it shows open closes, since a market's status follows the clock.
  const cached = (request: FastifyRequest, reply: FastifyReply, produce: () => Promise<ExpiringAnswer>) =>
    sendCachedUntil(request, reply, marketCache, request.url, produce);

  app.get(
    '/markets',
    {
      config: cachedReadConfig,
      schema: {
        tags,
        summary: 'Markets, newest first, filtered by guild, status and plan; one page at a time',
        querystring: MarketListQuery,
        response: { 200: MarketPageJson, ...commonErrorResponses },
      },
    },
    async (request, reply) =>
      cached(request, reply, async () => {
        const query = request.query;
        const page = await marketQueries.list({
          guildId: query.guild_id,
          status: query.status,
          planId: query.plan_id,
          cursor: query.cursor,
          limit: query.limit,
        });
        return showing({ data: page.items.map(marketJson), next_cursor: page.nextCursor }, page.items);
      }),
  );

  app.get(
    '/markets/:id',
    {
      config: cachedReadConfig,
      schema: {
        tags,
        summary: 'One market: options with probability (AMM) or pool and odds (pool), volume, status',
        params: MarketIdParams,
        response: { 200: Type.Ref('Market'), ...notFound, ...commonErrorResponses },
      },
    },
    async (request, reply) =>
      cached(request, reply, async () => {
        const summary = await marketQueries.market(request.params.id);
        return showing(marketJson(summary), [summary]);
      }),
  );

  app.get(
    '/markets/:id/trades',
    {
      config: cachedReadConfig,
      schema: {
        tags,
        summary: "A market's trades, newest first, one page at a time",
        params: MarketIdParams,
        querystring: TradeListQuery,
        response: { 200: TradePageJson, ...notFound, ...commonErrorResponses },
      },
    },
    async (request, reply) =>
      cached(request, reply, async () => {
        const page = await marketQueries.trades(request.params.id, request.query);
        const names = await memberNames.namesOf(page.guildId, [
          ...new Set(page.items.map((trade) => trade.userId)),
        ]);
        return showing(
          { data: page.items.map((trade) => tradeJson(trade, names)), next_cursor: page.nextCursor },
          [],
        );
      }),
  );

  app.get(
    '/markets/:id/history',
    {
      config: cachedReadConfig,
      schema: {
        tags,
        summary: "A market's probabilities over time, for a chart (the opening, then after each trade)",
        params: MarketIdParams,
        querystring: HistoryQuery,
        response: { 200: HistoryJson, ...notFound, ...commonErrorResponses },
      },
    },
    async (request, reply) =>
      cached(request, reply, async () => {
        const { points } = await marketQueries.history(request.params.id, request.query.points);
        return showing(historyJson(request.params.id, points), []);
      }),
  );

  app.get(
    '/guilds/:guildId/leaderboard',
    {
      config: readConfig,
      schema: {
        tags,
        summary: 'The profit and loss leaderboard: all time, or this calendar month',
        params: GuildParams,
        querystring: LeaderboardQuery,
        response: { 200: LeaderboardJson, ...commonErrorResponses },
      },
    },
    async (request) => {
      const period = request.query.period ?? 'all';
      const standings = await marketQueries.leaderboard(request.params.guildId, period, request.query.limit);
      const names = await memberNames.namesOf(
        request.params.guildId,
        standings.map((standing) => standing.userId),
      );
      return leaderboardJson(request.params.guildId, period, standings, names);
    },
  );

  app.get(
    '/guilds/:guildId/users/:userId',
    {
      config: readConfig,
      schema: {
        tags,
        summary: "A user's balance, open positions at the current price, and profit",
        description:
          'A user not seen before in the guild shows the starting balance; a read opens no account (their first ' +
          'bet, sale or grant does).',
        params: GuildUserParams,
        response: { 200: UserJson, ...commonErrorResponses },
      },
    },
    async (request) => {
      const { guildId, userId } = request.params;
      // A public read writes nothing: an unknown user is shown with the starting balance, unopened.
      const portfolio = await marketQueries.portfolio(guildId, userId);
      return userJson(portfolio, await memberNames.namesOf(guildId, [userId]));
    },
  );

  app.get(
    '/coaches/:coach/calls',
    {
      config: cachedReadConfig,
      schema: {
        tags,
        summary: "A coach's plans with their market's crowd confidence, and the coach's scoreboard",
        params: CoachParams,
        querystring: CoachCallsQuery,
        response: { 200: CoachCallsJson, ...notFound, ...commonErrorResponses },
      },
    },
    async (request, reply) =>
      cached(request, reply, async () => {
        const calls = await marketQueries.coachCalls(request.params.coach, request.query);
        const markets = calls.calls.flatMap((call) => (call.market === null ? [] : [call.market]));
        return showing(coachCallsJson(calls), markets);
      }),
  );
};
