import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ApiFixture, createApiFixture, DISCORD_ALICE, TODAY } from '../test-support/api-fixture.js';
import { ALICE_ID, BOB_ID, GUILD_ID, marketClient, newMarketBody } from '../test-support/market-requests.js';

describe('market writes under /api/v1', () => {
  let fixture: ApiFixture;
  let client: ReturnType<typeof marketClient>;
  let nowMs = 0;
  beforeEach(async () => {
    nowMs = Date.parse('2026-11-20T15:00:00Z');
    fixture = await createApiFixture({ clock: { now: () => nowMs } });
    client = marketClient(fixture.app);
  });
  afterEach(async () => {
    expect((await fixture.coachwire.store.checkLedger()).violations).toEqual([]);
    await fixture.close();
  });

  it('opens a market with 201 in the shape integrations rely on', async () => {
    const { plan } = await fixture.coachwire.services.plans.post(DISCORD_ALICE, {
      coach: 'd',
      text: 'ES long above 5000',
      tradingDate: TODAY,
    });
    const market = await client.createMarket({ initial_probability: 0.6, plan_id: plan.id });
    expect(market).toMatchObject({
      id: 1,
      guild_id: GUILD_ID,
      mechanism: 'cpmm',
      status: 'open',
      closes_at: '2026-11-21T21:00:00.000Z',
      volume: 0,
      bettors: 0,
      resolution: null,
      plan_id: plan.id,
      options: [
        { id: 0, label: 'Yes', pool: null },
        { id: 1, label: 'No', pool: null },
      ],
    });
    expect(market.options[0]!.probability).toBeCloseTo(0.6, 6);
    const pool = await client.createMarket({ mechanism: 'pool', options: ['Up', 'Down', 'Flat'] });
    expect((pool as unknown as { options: unknown[] }).options[2]).toEqual({
      id: 2,
      label: 'Flat',
      probability: null,
      pool: 0,
      odds: null,
    });
  });

  it('says where the market it opened is read (Location), on the first answer and on a replay', async () => {
    const body = newMarketBody();
    const created = await client.post('/api/v1/markets', body, { 'idempotency-key': 'open-once' });
    expect(created.statusCode).toBe(201);
    const location = created.headers.location as string;
    expect(location).toBe(`/api/v1/markets/${created.json().id}`);
    expect((await client.get(location)).json()).toMatchObject({
      id: created.json().id,
      question: body.question,
    });
    const replayed = await client.post('/api/v1/markets', body, { 'idempotency-key': 'open-once' });
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.headers.location).toBe(location);
  });

  it('refuses bad input of every kind with a 4xx in the error shape, and changes nothing', async () => {
    const { id } = await client.createMarket();
    const cases: [string, object, Record<string, string | undefined>, number, string][] = [
      ['/api/v1/markets', { guild_id: GUILD_ID, user_id: ALICE_ID }, {}, 400, 'VALIDATION'],
      [
        '/api/v1/markets',
        { guild_id: GUILD_ID, user_id: ALICE_ID, question: 'Q?', mechanism: 'cpmm', closes_at: 'soon' },
        {},
        400,
        'VALIDATION',
      ],
      // Not a calendar date (read as 2027-03-02 by Date.parse), no offset (which zone?), not ISO-8601.
      ...['2027-02-30T10:00:00Z', '2026-12-01T10:00:00', 'Dec 1 2026 10:00 UTC'].map(
        (closesAt): [string, object, Record<string, string | undefined>, number, string] => [
          '/api/v1/markets',
          { guild_id: GUILD_ID, user_id: ALICE_ID, question: 'Q?', mechanism: 'cpmm', closes_at: closesAt },
          {},
          400,
          'VALIDATION',
        ],
      ),
      [
        '/api/v1/markets',
        {
          guild_id: GUILD_ID,
          user_id: ALICE_ID,
          question: 'Q?',
          mechanism: 'lmsr',
          options: ['Up', 'mkt'],
          closes_at: '2026-11-21T21:00:00Z',
        },
        {},
        400,
        'VALIDATION',
      ],
      [
        '/api/v1/markets',
        {
          guild_id: GUILD_ID,
          user_id: ALICE_ID,
          question: 'Q?',
          mechanism: 'cpmm',
          closes_at: '2020-01-01T00:00:00Z',
        },
        {},
        400,
        'VALIDATION',
      ],
      [
        '/api/v1/markets',
        {
          guild_id: GUILD_ID,
          user_id: ALICE_ID,
          question: 'Q?',
          mechanism: 'amm',
          closes_at: '2026-11-21T21:00:00Z',
        },
        {},
        400,
        'VALIDATION',
      ],
      [
        '/api/v1/markets',
        {
          guild_id: GUILD_ID,
          user_id: ALICE_ID,
          question: 'Q?',
          mechanism: 'cpmm',
          options: ['a', 'b', 'c'],
          closes_at: '2026-11-21T21:00:00Z',
        },
        {},
        400,
        'VALIDATION',
      ],
      [
        '/api/v1/markets',
        {
          guild_id: GUILD_ID,
          user_id: ALICE_ID,
          question: 'Q?',
          mechanism: 'cpmm',
          closes_at: '2026-11-21T21:00:00Z',
          subsidy: 99,
        },
        {},
        400,
        'VALIDATION',
      ],
      [
        '/api/v1/markets',
        {
          guild_id: GUILD_ID,
          user_id: ALICE_ID,
          question: 'Q?',
          mechanism: 'cpmm',
          closes_at: '2026-11-21T21:00:00Z',
          plan_id: 99_999,
        },
        {},
        404,
        'NOT_FOUND',
      ],
      [`/api/v1/markets/${id}/bets`, { user_id: BOB_ID, option: 'yes', amount: 0 }, {}, 400, 'VALIDATION'],
      [`/api/v1/markets/${id}/bets`, { user_id: BOB_ID, option: 'yes', amount: 1.5 }, {}, 400, 'VALIDATION'],
      [
        `/api/v1/markets/${id}/bets`,
        { user_id: BOB_ID, option: 'yes', amount: 10 },
        { 'idempotency-key': undefined },
        400,
        'VALIDATION',
      ],
      [
        `/api/v1/markets/${id}/bets`,
        { user_id: BOB_ID, option: 'yes', amount: 10 },
        { 'idempotency-key': 'x'.repeat(256) },
        400,
        'VALIDATION',
      ],
      [
        `/api/v1/markets/${id}/bets`,
        { user_id: BOB_ID, option: 'yes', amount: 10 },
        { authorization: undefined },
        401,
        'UNAUTHORIZED',
      ],
      [`/api/v1/markets/${id}/bets`, { user_id: BOB_ID, option: 'maybe', amount: 10 }, {}, 404, 'NOT_FOUND'],
      [`/api/v1/markets/${id}/bets`, { user_id: BOB_ID, option: 7, amount: 10 }, {}, 404, 'NOT_FOUND'],
      [`/api/v1/markets/${id}/bets`, { user_id: BOB_ID, option: 12, amount: 10 }, {}, 404, 'NOT_FOUND'],
      [`/api/v1/markets/999/bets`, { user_id: BOB_ID, option: 'yes', amount: 10 }, {}, 404, 'NOT_FOUND'],
      [`/api/v1/markets/abc/bets`, { user_id: BOB_ID, option: 'yes', amount: 10 }, {}, 400, 'VALIDATION'],
      [
        `/api/v1/markets/${id}/bets`,
        { user_id: BOB_ID, option: 'yes', amount: 5000 },
        {},
        409,
        'INSUFFICIENT_BALANCE',
      ],
      // JSON keeps its types: null, a boolean or an array is no option, outcome or amount (coercing them
      // made null and false option 0 and true option 1, and an array reached the handler).
      [`/api/v1/markets/${id}/bets`, { user_id: BOB_ID, option: null, amount: 10 }, {}, 400, 'VALIDATION'],
      [`/api/v1/markets/${id}/bets`, { user_id: BOB_ID, option: false, amount: 10 }, {}, 400, 'VALIDATION'],
      [`/api/v1/markets/${id}/bets`, { user_id: BOB_ID, option: true, amount: 10 }, {}, 400, 'VALIDATION'],
      [`/api/v1/markets/${id}/bets`, { user_id: BOB_ID, option: ['yes'], amount: 10 }, {}, 400, 'VALIDATION'],
      [`/api/v1/markets/${id}/bets`, { user_id: BOB_ID, option: 'yes', amount: true }, {}, 400, 'VALIDATION'],
      [`/api/v1/markets/${id}/bets`, { user_id: BOB_ID, option: 'yes', amount: '10' }, {}, 400, 'VALIDATION'],
      [`/api/v1/markets/${id}/bets`, { user_id: 42, option: 'yes', amount: 10 }, {}, 400, 'VALIDATION'],
      [`/api/v1/markets/${id}/quote`, { user_id: BOB_ID, option: null, amount: 10 }, {}, 400, 'VALIDATION'],
      [`/api/v1/markets/${id}/sells`, { user_id: BOB_ID, option: 'yes', shares: 3 }, {}, 400, 'VALIDATION'],
      [`/api/v1/markets/${id}/resolve`, { user_id: ALICE_ID, outcome: null }, {}, 400, 'VALIDATION'],
      [`/api/v1/markets/${id}/resolve`, { user_id: ALICE_ID, outcome: ['Yes'] }, {}, 400, 'VALIDATION'],
      [`/api/v1/markets/${id}/resolve`, { user_id: ALICE_ID, outcome: 'MKT' }, {}, 400, 'VALIDATION'],
      [`/api/v1/markets/${id}/unresolve`, { user_id: ALICE_ID, reason: 'oops' }, {}, 409, 'CONFLICT'],
      [
        `/api/v1/guilds/${GUILD_ID}/users/${BOB_ID}/grants`,
        { amount: 0, reason: 'none' },
        {},
        400,
        'VALIDATION',
      ],
    ];
    for (const [url, payload, headers, status, code] of cases) {
      const response = await client.post(url, payload, headers);
      expect({ url, payload, status: response.statusCode, code: response.json().code }).toEqual({
        url,
        payload,
        status,
        code,
      });
      expect(response.json().request_id).toEqual(expect.any(String));
      expect(response.body).not.toMatch(/at .*\.ts:|SELECT|sqlite/i);
    }
    const insufficient = await client.bet(id, { option: 'yes', amount: 5000 });
    expect(insufficient.json()).toMatchObject({ balance: 1000, required: 5000 });
    expect((await client.get(`/api/v1/markets/${id}`)).json()).toMatchObject({ volume: 0, bettors: 0 });
  });

  it('places a bet by label in any case and answers the bet, the market after it and the balance', async () => {
    const { id } = await client.createMarket();
    const response = await client.bet(id, { option: 'YES', amount: 100 });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body.bet).toMatchObject({ id: 1, market_id: id, user_id: BOB_ID, option_id: 0, amount: 100 });
    expect(body.bet.shares).toBeGreaterThan(100);
    expect(body.balance).toBe(900);
    expect(body.market).toMatchObject({ id, volume: 100, bettors: 1 });
    expect(body.market.options[0].probability).toBeGreaterThan(0.5);
    const pool = await client.createMarket({ mechanism: 'pool' });
    const staked = (await client.bet(pool.id, { option: 1, amount: 40 })).json();
    expect(staked.bet.shares).toBe(40);
    expect(staked.market.options[1]).toMatchObject({ pool: 40, probability: null });
  });

  it("refuses a market on a plan to anyone but the plan's author: its creator could resolve the coach's call", async () => {
    const { plan } = await fixture.coachwire.services.plans.post(DISCORD_ALICE, {
      coach: 'd',
      text: 'ES long above 5000',
      tradingDate: TODAY,
    });
    const byBob = await client.post('/api/v1/markets', {
      guild_id: GUILD_ID,
      user_id: BOB_ID,
      question: 'Will Coach D be right?',
      mechanism: 'cpmm',
      closes_at: '2026-11-21T21:00:00Z',
      plan_id: plan.id,
    });
    expect({ status: byBob.statusCode, code: byBob.json().code }).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect((await client.get(`/api/v1/markets?plan_id=${plan.id}`)).json().data).toEqual([]);
    expect(await fixture.coachwire.services.points.balance(GUILD_ID, BOB_ID)).toMatchObject({
      balance: 1000,
    });
    expect((await client.createMarket({ plan_id: plan.id })).id).toBeGreaterThan(0);
  });

  it('refuses a huge sell or sell quote for what it is, not as a number that is not positive', async () => {
    const { id } = await client.createMarket();
    await client.bet(id, { option: 'yes', amount: 10 });
    const sell = await client.post(`/api/v1/markets/${id}/sells`, {
      user_id: BOB_ID,
      option: 0,
      shares: 1e12,
    });
    expect(sell.statusCode).toBe(400);
    expect(sell.json().message).toMatch(/^You hold only \d+(\.\d+)? shares of Yes\.$/);
    const quote = await client.post(`/api/v1/markets/${id}/quote`, { option: 0, side: 'sell', shares: 1e12 });
    expect(quote.statusCode).toBe(400);
    expect(quote.json().message).toBe('That is more shares than a market holds.');
  });

  it('names an option by its label however it is composed, as the bot does', async () => {
    // "Café" stored composed (NFC); a client may send it decomposed ("e" + combining acute), which looks the same.
    const { id } = await client.createMarket({ options: ['Caf\u00e9', 'Other'] });
    const bet = await client.bet(id, { option: ' CAFE\u0301 ', amount: 10 });
    expect(bet.statusCode).toBe(201);
    expect(bet.json().bet).toMatchObject({ option_id: 0 });
    const resolved = await client.post(`/api/v1/markets/${id}/resolve`, {
      user_id: ALICE_ID,
      outcome: 'cafe\u0301',
    });
    expect(resolved.json()).toMatchObject({ status: 'resolved', resolution: { outcome: 0 } });
  });

  it('replays a retried bet with Idempotent-Replayed, and refuses the same key for another body', async () => {
    const { id } = await client.createMarket();
    const headers = { 'idempotency-key': 'retry-me 1' };
    const first = await client.bet(id, { option: 'yes', amount: 50 }, headers);
    const again = await client.bet(id, { option: 'Yes', amount: 50 }, headers);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().bet).toEqual(first.json().bet);
    expect(again.json().balance).toBe(950);
    const conflict = await client.bet(id, { option: 'yes', amount: 51 }, headers);
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().code).toBe('CONFLICT');
    // The message speaks of the key the client sent, never of the scoped one the API stores.
    expect(conflict.json().message).toMatch(/^This idempotency key was already used for a different request/);
    expect(conflict.json().message).not.toMatch(/api:/);
    const trades = (await client.get(`/api/v1/markets/${id}/trades`)).json();
    expect(trades.data).toHaveLength(1);
  });

  it('replays a refused bet as refused, with Idempotent-Replayed, even once it could pass', async () => {
    const { id } = await client.createMarket();
    const headers = { 'idempotency-key': 'too-big 1' };
    const refused = await client.bet(id, { option: 'yes', amount: 1001 }, headers);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('INSUFFICIENT_BALANCE');
    expect(refused.headers['idempotent-replayed']).toBeUndefined();
    const grant = await client.post(`/api/v1/guilds/${GUILD_ID}/users/${BOB_ID}/grants`, {
      user_id: ALICE_ID,
      amount: 500,
      reason: 'top-up',
    });
    expect(grant.statusCode).toBe(201);
    const again = await client.bet(id, { option: 'yes', amount: 1001 }, headers);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'INSUFFICIENT_BALANCE', message: refused.json().message });
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect((await client.bet(id, { option: 'yes', amount: 10 }, headers)).json().code).toBe('CONFLICT');
    // A 400 for the request itself stores nothing: corrected, it goes through under the same key.
    const invalid = { 'idempotency-key': 'fix-me 1' };
    expect((await client.bet(id, { option: 'yes', amount: 0 }, invalid)).statusCode).toBe(400);
    expect((await client.bet(id, { option: 'yes', amount: 10 }, invalid)).statusCode).toBe(201);
    expect((await client.get(`/api/v1/markets/${id}/trades`)).json().data).toHaveLength(1);
  });

  it('answers PRICE_MOVED with 409 and the fresh quote, and MARKET_CLOSED after the close', async () => {
    const { id } = await client.createMarket();
    const quote = (await client.post(`/api/v1/markets/${id}/quote`, { option: 'yes', amount: 100 })).json();
    await client.bet(id, { user_id: ALICE_ID, option: 'yes', amount: 300 });
    const moved = await client.bet(id, { option: 'yes', amount: 100, min_shares: quote.shares });
    expect(moved.statusCode).toBe(409);
    expect(moved.json().code).toBe('PRICE_MOVED');
    expect(moved.json().quote).toMatchObject({ market_id: id, option_id: 0, side: 'buy', amount: 100 });
    expect(moved.json().quote.shares).toBeLessThan(quote.shares);
    nowMs = Date.parse('2026-11-22T00:00:00Z');
    const closed = await client.bet(id, { option: 'yes', amount: 10 });
    expect(closed.statusCode).toBe(409);
    expect(closed.json().code).toBe('MARKET_CLOSED');
    expect((await client.get(`/api/v1/markets/${id}`)).json().status).toBe('closed');
  });

  it('sells, resolves with an API key acting as admin, unresolves, cancels and grants', async () => {
    const { id } = await client.createMarket();
    const bet = (await client.bet(id, { option: 'no', amount: 100 })).json();
    const sold = await client.post(`/api/v1/markets/${id}/sells`, {
      user_id: BOB_ID,
      option: 'no',
      shares: bet.bet.shares / 2,
    });
    expect(sold.statusCode).toBe(201);
    expect(sold.json().sell).toMatchObject({ market_id: id, option_id: 1 });
    const resolved = await client.post(`/api/v1/markets/${id}/resolve`, { user_id: BOB_ID, outcome: 'no' });
    expect(resolved.statusCode).toBe(200);
    expect(resolved.json()).toMatchObject({
      status: 'resolved',
      resolution: { outcome: 1, label: 'No', probability: null },
    });
    expect(resolved.json().settlement.paid_to_traders).toBeGreaterThan(0);
    const again = await client.post(`/api/v1/markets/${id}/resolve`, { user_id: BOB_ID, outcome: 'yes' });
    expect(again.statusCode).toBe(409);
    const undone = await client.post(`/api/v1/markets/${id}/unresolve`, { user_id: BOB_ID, reason: 'wrong' });
    expect(undone.json()).toMatchObject({ status: 'closed', resolution: null });
    const cancelled = await client.post(`/api/v1/markets/${id}/cancel`, { user_id: BOB_ID, reason: 'void' });
    expect(cancelled.json()).toMatchObject({ status: 'cancelled' });
    const mkt = await client.createMarket();
    const atMkt = await client.post(`/api/v1/markets/${mkt.id}/resolve`, {
      user_id: BOB_ID,
      outcome: 'MKT',
      probability: 0.25,
    });
    expect(atMkt.json().resolution).toEqual({ outcome: 'MKT', label: null, probability: 0.25 });
    const granted = await client.post(`/api/v1/guilds/${GUILD_ID}/users/333/grants`, {
      amount: 50,
      reason: 'prize',
    });
    expect(granted.statusCode).toBe(201);
    expect(granted.json()).toEqual({ guild_id: GUILD_ID, user_id: '333', balance: 1050 });
  });
});
