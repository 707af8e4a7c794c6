import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type ApiFixture,
  createApiFixture,
  DISCORD_ALICE,
  REPORTER_KEY,
  TODAY,
  TRADER_KEY,
} from '../test-support/api-fixture.js';
import { BOB_ID, GUILD_ID, marketClient } from '../test-support/market-requests.js';

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe('POST / PATCH / DELETE /api/v1/plans', () => {
  let fixture: ApiFixture;
  beforeEach(async () => {
    fixture = await createApiFixture();
  });
  afterEach(async () => {
    await fixture.close();
  });

  const post = (payload: object, headers: Record<string, string> = bearer(TRADER_KEY)) =>
    fixture.app.inject({ method: 'POST', url: '/api/v1/plans', payload, headers });

  it('creates a plan with 201, recording the key name as the author', async () => {
    const response = await post({
      coach: 'd',
      text: '  ES long above 5000  ',
      date: '2026-11-21',
      charts: [{ url: 'https://example.com/chart.png', filename: 'chart.png', content_type: 'image/png' }],
    });
    expect(response.statusCode).toBe(201);
    const plan = response.json();
    expect(response.headers.location).toBe(`/api/v1/plans/${plan.id}`);
    expect(plan).toMatchObject({
      coach: 'd',
      trading_date: '2026-11-21',
      text: 'ES long above 5000',
      author: { id: 'api-key:trader', name: 'trader' },
      channel: { id: null, name: null },
    });
    expect(plan.charts[0]).toMatchObject({ url: 'https://example.com/chart.png', filename: 'chart.png' });
    const stored = await fixture.bot.plans.find('d', '2026-11-21');
    expect(stored?.author).toStrictEqual({ id: 'api-key:trader', name: 'trader' });
  });

  it('accepts trading_date as an alias of date and defaults to today', async () => {
    expect((await post({ coach: 'i', text: 'a', trading_date: '2026-11-19' })).json().trading_date).toBe(
      '2026-11-19',
    );
    expect((await post({ coach: 's', text: 'b' })).json().trading_date).toBe(TODAY);
  });

  it('answers 200 when a key reposts over its own plan, and the legacy read sees it at once', async () => {
    expect((await post({ coach: 'd', text: 'first' })).statusCode).toBe(201);
    expect((await fixture.app.inject({ url: '/api/coach-plans/?coach=d' })).json().plan).toBe('first');
    const repost = await post({ coach: 'd', text: 'second' });
    expect(repost.statusCode).toBe(200);
    // Nothing was created: the plan is where it was.
    expect(repost.headers.location).toBeUndefined();
    expect(repost.json().edited_at).not.toBeNull();
    expect((await fixture.app.inject({ url: '/api/coach-plans/?coach=d' })).json().plan).toBe('second');
  });

  it('refuses a write without a key with 401 and a Bearer challenge, before looking at the body', async () => {
    for (const headers of [{}, { authorization: 'Basic abc' }]) {
      const response = await post({ nonsense: true }, headers);
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(response.json()).toMatchObject({ error: 'Unauthorized', code: 'UNAUTHORIZED' });
    }
  });

  it('refuses a wrong key with 401', async () => {
    const response = await post({ coach: 'd', text: 'x' }, bearer('not-a-key'));
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(response.json().message).toBe('The API key is not valid.');
    expect(await fixture.bot.plans.find('d')).toBeNull();
  });

  it("refuses with 403 a key that replaces, edits or deletes a Discord user's plan", async () => {
    const { plan } = await fixture.bot.plans.post(DISCORD_ALICE, { coach: 'd', text: 'alice plan' });
    expect((await post({ coach: 'd', text: 'takeover' })).statusCode).toBe(403);
    const patch = await fixture.app.inject({
      method: 'PATCH',
      url: `/api/v1/plans/${plan.id}`,
      payload: { text: 'edit' },
      headers: bearer(TRADER_KEY),
    });
    expect(patch.statusCode).toBe(403);
    expect(patch.json()).toMatchObject({ error: 'Forbidden', code: 'FORBIDDEN' });
    const del = await fixture.app.inject({
      method: 'DELETE',
      url: `/api/v1/plans/${plan.id}`,
      headers: bearer(REPORTER_KEY),
    });
    expect(del.statusCode).toBe(403);
    expect((await fixture.bot.plans.find('d'))?.text).toBe('alice plan');
  });

  it("refuses with 403 a key that edits another key's plan", async () => {
    const created = (await post({ coach: 'n', text: 'trader plan' })).json();
    const response = await fixture.app.inject({
      method: 'PATCH',
      url: `/api/v1/plans/${created.id}`,
      payload: { text: 'reporter edit' },
      headers: bearer(REPORTER_KEY),
    });
    expect(response.statusCode).toBe(403);
  });

  it('cancels the market on a plan it deletes, with refunds, as the bot does', async () => {
    const plan = (await post({ coach: 'd', text: 'ES long above 5000', date: TODAY })).json();
    const client = marketClient(fixture.app);
    const market = await client.createMarket({ user_id: 'api-key:trader', plan_id: plan.id });
    expect((await client.bet(market.id, { option: 'yes', amount: 100 })).statusCode).toBe(201);
    const deleted = await fixture.app.inject({
      method: 'DELETE',
      url: `/api/v1/plans/${plan.id}`,
      headers: bearer(TRADER_KEY),
    });
    expect(deleted.statusCode).toBe(204);
    expect((await client.get(`/api/v1/markets/${market.id}`)).json()).toMatchObject({ status: 'cancelled' });
    expect(await fixture.coachwire.services.points.balance(GUILD_ID, BOB_ID)).toMatchObject({
      balance: 1000,
    });
    expect((await fixture.coachwire.store.checkLedger()).violations).toEqual([]);
  });

  it('cancels every market on a plan it deletes, past the first page of them', async () => {
    const plan = (await post({ coach: 'd', text: 'ES long above 5000', date: TODAY })).json();
    const client = marketClient(fixture.app);
    const ids: number[] = [];
    for (let index = 0; index < 53; index++) {
      const market = await client.createMarket({
        user_id: 'api-key:trader',
        plan_id: plan.id,
        mechanism: 'pool',
        subsidy: undefined,
        question: `Call ${index}: does the plan work?`,
      });
      ids.push(market.id);
    }
    const deleted = await fixture.app.inject({
      method: 'DELETE',
      url: `/api/v1/plans/${plan.id}`,
      headers: bearer(TRADER_KEY),
    });
    expect(deleted.statusCode).toBe(204);
    for (const id of [ids[0], ids.at(-1)]) {
      expect((await client.get(`/api/v1/markets/${id}`)).json()).toMatchObject({ status: 'cancelled' });
    }
    const open = (
      await client.get(`/api/v1/markets?guild_id=${GUILD_ID}&status=open&plan_id=${plan.id}`)
    ).json();
    expect(open.data).toEqual([]);
  });

  it('edits its own plan with PATCH and deletes it with 204', async () => {
    const created = (await post({ coach: 'n', text: 'v1' })).json();
    const patched = await fixture.app.inject({
      method: 'PATCH',
      url: `/api/v1/plans/${created.id}`,
      payload: { text: 'v2' },
      headers: bearer(TRADER_KEY),
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ id: created.id, text: 'v2' });
    const history = (await fixture.app.inject({ url: `/api/v1/plans/${created.id}/history` })).json();
    expect(history.data[0]).toMatchObject({
      previous_text: 'v1',
      editor: { id: 'api-key:trader', name: 'trader' },
    });
    const deleted = await fixture.app.inject({
      method: 'DELETE',
      url: `/api/v1/plans/${created.id}`,
      headers: bearer(TRADER_KEY),
    });
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    expect((await fixture.app.inject({ url: `/api/v1/plans/${created.id}` })).statusCode).toBe(404);
  });

  it('answers 404 when editing or deleting a plan that does not exist', async () => {
    const headers = bearer(TRADER_KEY);
    expect(
      (
        await fixture.app.inject({
          method: 'PATCH',
          url: '/api/v1/plans/999',
          payload: { text: 'x' },
          headers,
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (await fixture.app.inject({ method: 'DELETE', url: '/api/v1/plans/999', headers })).statusCode,
    ).toBe(404);
  });

  it('refuses invalid bodies with 400 naming the problem', async () => {
    const cases: [object | string, string][] = [
      [{ text: 'no coach' }, 'coach'],
      [{ coach: 'd' }, 'text'],
      [{ coach: 'zz', text: 'x' }, 'coach'],
      [{ coach: 'd', text: '   ' }, 'text'],
      [{ coach: 'd', text: 'x'.repeat(4001) }, 'text'],
      [{ coach: 'd', text: 'x', date: '2026-02-30' }, 'date'],
      [{ coach: 'd', text: 'x', charts: [{ url: 'u' }] }, 'charts'],
      [{ coach: 5, text: 'x' }, 'coach'],
      // Chart links are served as they are: only http(s), and only images.
      [
        { coach: 'd', text: 'x', charts: [{ url: 'javascript:alert(1)', filename: 'a.png' }] },
        'charts\\[0\\]\\.url',
      ],
      [{ coach: 'd', text: 'x', charts: [{ url: 'data:image/png;base64,AA', filename: 'a.png' }] }, 'http'],
      // A link that reads as Discord's CDN and goes elsewhere.
      [
        {
          coach: 'd',
          text: 'x',
          charts: [{ url: 'https://cdn.discordapp.com@127.0.0.1:9/x.png', filename: 'x.png' }],
        },
        'user name or password',
      ],
      [
        {
          coach: 'd',
          text: 'x',
          charts: [{ url: 'https://x.test/a', filename: 'a.html', content_type: 'text/html' }],
        },
        'charts\\[0\\] is not an image',
      ],
      [{ coach: 'd', text: null }, 'text'],
    ];
    for (const [payload, field] of cases) {
      const response = await post(payload as object);
      expect(response.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
      expect(response.json().code).toBe('VALIDATION');
      expect(response.json().message, field).toMatch(new RegExp(field, 'i'));
    }
    const malformed = await fixture.app.inject({
      method: 'POST',
      url: '/api/v1/plans',
      payload: '{"coach": "d",',
      headers: { ...bearer(TRADER_KEY), 'content-type': 'application/json' },
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({
      code: 'VALIDATION',
      request_id: malformed.headers['x-request-id'],
    });
  });
});
