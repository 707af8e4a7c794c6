import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type ApiFixture,
  createApiFixture,
  DISCORD_ALICE,
  TODAY,
  TRADER_KEY,
} from '../test-support/api-fixture.js';
import { ALICE_ID, BOB_ID, GUILD_ID, marketClient } from '../test-support/market-requests.js';

// The API takes ids up to 2^53-1. PostgreSQL's id columns are integers (up to 2^31-1), and comparing one with a
// larger parameter failed the statement: every such request answered 503 there, and logged an outage, where
// SQLite answers that there is no such plan or market.
describe('ids past PostgreSQL integer range', () => {
  let fixture: ApiFixture;
  beforeEach(async () => {
    fixture = await createApiFixture({ clock: { now: () => Date.parse('2026-11-20T15:00:00Z') } });
  });
  afterEach(async () => {
    await fixture.close();
  });

  it('answer 404 (or an empty list) on either backend, as for any unknown id', async () => {
    const client = marketClient(fixture.app);
    const { plan } = await fixture.coachwire.services.plans.post(DISCORD_ALICE, {
      coach: 'd',
      text: 'ES long above 5000',
      tradingDate: TODAY,
    });
    await client.createMarket();
    for (const id of [2 ** 31, 2 ** 53 - 1]) {
      const notFound: [string, string, object?][] = [
        ['GET', `/api/v1/plans/${id}`],
        ['GET', `/api/v1/plans/${id}/history`],
        ['PATCH', `/api/v1/plans/${id}`, { text: 'new' }],
        ['DELETE', `/api/v1/plans/${id}`],
        ['GET', `/api/v1/markets/${id}`],
        ['GET', `/api/v1/markets/${id}/trades`],
        ['GET', `/api/v1/markets/${id}/history`],
        ['GET', `/api/v1/charts/${id}`],
        ['POST', `/api/v1/markets/${id}/quote`, { option: 0, amount: 10 }],
        ['POST', `/api/v1/markets/${id}/bets`, { user_id: BOB_ID, option: 0, amount: 10 }],
        ['POST', `/api/v1/markets/${id}/resolve`, { user_id: ALICE_ID, outcome: 'yes' }],
        ['POST', `/api/v1/markets/${id}/cancel`, { user_id: ALICE_ID }],
        [
          'POST',
          '/api/v1/markets',
          {
            guild_id: GUILD_ID,
            user_id: ALICE_ID,
            question: 'On a plan?',
            mechanism: 'cpmm',
            closes_at: '2026-11-21T21:00:00Z',
            plan_id: id,
          },
        ],
      ];
      for (const [method, url, payload] of notFound) {
        const response =
          method === 'POST'
            ? await client.post(url, payload ?? {})
            : await fixture.app.inject({
                method: method as 'GET' | 'PATCH' | 'DELETE',
                url,
                ...(payload ? { payload } : {}),
                headers: { authorization: `Bearer ${TRADER_KEY}` },
              });
        expect(response.statusCode, `${method} ${url}`).toBe(404);
        expect(response.json().code, `${method} ${url}`).toBe('NOT_FOUND');
      }
      const byPlan = await client.get(`/api/v1/markets?plan_id=${id}`);
      expect(byPlan.statusCode).toBe(200);
      expect(byPlan.json().data).toStrictEqual([]);
      // A cursor past every id lists from the start of its date.
      const cursor = Buffer.from(`${TODAY}|${id}`, 'utf8').toString('base64url');
      const page = await fixture.app.inject(`/api/v1/plans?cursor=${cursor}`);
      expect(page.statusCode).toBe(200);
      expect(page.json().data.map((p: { id: number }) => p.id)).toStrictEqual([plan.id]);
    }
  });
});
