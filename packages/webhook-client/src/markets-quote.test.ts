import { describe, expect, it } from 'vitest';
import { createClient, type MarketQuote } from './index.js';
import { clientOf, sendError, sendJson } from './test-support/fake-coachwire-api.js';

const quoted = (side: 'buy' | 'sell'): MarketQuote => ({
  market_id: 7,
  option_id: 0,
  side,
  amount: 50,
  shares: 77.5,
  average_price: 0.645,
  probabilities_before: [0.55, 0.45],
  probabilities_after: [0.72, 0.28],
  payout_if_wins: side === 'buy' ? 77 : null,
});

describe('quote', () => {
  it('asks the API what a bet or a sell would give, with the key and without an idempotency key', async () => {
    const { api, client } = await clientOf(
      (request, response) => {
        const body = JSON.parse(request.body) as { side: 'buy' | 'sell' };
        sendJson(response, 200, quoted(body.side));
      },
      { apiKey: 'k-1' },
    );

    const buy = await client.quote(7, { option: 'Yes', amount: 50 });
    const sell = await client.quote(7, { option: 0, side: 'sell', shares: 10 });

    expect(buy).toEqual(quoted('buy'));
    expect(sell.side).toBe('sell');
    expect(api.requests.map((request) => [request.method, request.url, JSON.parse(request.body)])).toEqual([
      ['POST', '/api/v1/markets/7/quote', { option: 'Yes', side: 'buy', amount: 50 }],
      ['POST', '/api/v1/markets/7/quote', { option: 0, side: 'sell', shares: 10 }],
    ]);
    expect(api.requests[0]?.headers.authorization).toBe('Bearer k-1');
    expect(api.requests[0]?.headers['idempotency-key']).toBeUndefined();
  });

  it('is retried after a 5xx (it changes nothing) and refuses without an apiKey', async () => {
    let calls = 0;
    const { api, client } = await clientOf(
      (_request, response) => {
        calls += 1;
        if (calls === 1) return sendError(response, 503, 'STORAGE_UNAVAILABLE', 'starting');
        sendJson(response, 200, quoted('buy'));
      },
      { apiKey: 'k-1', retry: { baseDelayMs: 1, maxDelayMs: 1 } },
    );
    await expect(client.quote(7, { option: 'Yes', amount: 50 })).resolves.toMatchObject({ shares: 77.5 });
    expect(calls).toBe(2);

    const keyless = createClient({ baseUrl: api.baseUrl });
    await expect(keyless.quote(7, { option: 'Yes', amount: 50 })).rejects.toMatchObject({
      code: 'CONFIGURATION',
    });
    await keyless.close();
    expect(calls).toBe(2);
  });
});
