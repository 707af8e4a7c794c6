import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { TRADER_KEY } from './api-fixture.js';

export const GUILD_ID = '900000000000000001';
export const ALICE_ID = '111111111111111111';
export const BOB_ID = '222222222222222222';

let keys = 0;
/** A fresh Idempotency-Key. */
export const freshKey = () => `test-key-${process.pid}-${++keys}`;

/** Market requests against an app, with the trader's API key and a fresh idempotency key unless given. */
/** The body of `POST /api/v1/markets` the tests open: Alice's 1-day cpmm market, unless told otherwise. */
export function newMarketBody(overrides: Record<string, unknown> = {}) {
  return {
    guild_id: GUILD_ID,
    user_id: ALICE_ID,
    question: 'Will SPY close above 600 on Friday?',
    options: ['Yes', 'No'],
    mechanism: 'cpmm',
    closes_at: '2026-11-21T21:00:00Z',
    subsidy: 200,
    ...overrides,
  };
}

export function marketClient(app: FastifyInstance) {
  const post = (
    url: string,
    payload: object,
    headers: Record<string, string | undefined> = {},
  ): Promise<LightMyRequestResponse> => {
    const merged: Record<string, string> = {
      authorization: `Bearer ${TRADER_KEY}`,
      'idempotency-key': freshKey(),
    };
    for (const [name, value] of Object.entries(headers)) {
      if (value === undefined) delete merged[name];
      else merged[name] = value;
    }
    return app.inject({ method: 'POST', url, payload, headers: merged });
  };
  const get = (url: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url, headers });
  return {
    post,
    get,
    /** Opens a market (1 day, cpmm unless told) and answers its JSON. */
    async createMarket(overrides: Record<string, unknown> = {}) {
      const response = await post('/api/v1/markets', newMarketBody(overrides));
      if (response.statusCode !== 201)
        throw new Error(`create failed: ${response.statusCode} ${response.body}`);
      return response.json() as { id: number; options: { id: number; label: string; probability: number }[] };
    },
    bet: (
      marketId: number,
      body: Record<string, unknown>,
      headers: Record<string, string | undefined> = {},
    ) => post(`/api/v1/markets/${marketId}/bets`, { user_id: BOB_ID, ...body }, headers),
  };
}
