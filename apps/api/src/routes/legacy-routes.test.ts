import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type ApiFixture,
  createApiFixture,
  DISCORD_ALICE,
  DISCORD_BOB,
  TODAY,
} from '../test-support/api-fixture.js';

const CHART = {
  url: 'https://cdn.discordapp.com/attachments/1/2/es.png',
  filename: 'es.png',
  contentType: 'image/png',
};

describe('legacy /api/coach-plans endpoints', () => {
  let fixture: ApiFixture;
  beforeEach(async () => {
    fixture = await createApiFixture();
  });
  afterEach(async () => {
    await fixture.close();
  });

  const get = (url: string, headers: Record<string, string> = {}) => fixture.app.inject({ url, headers });

  it('answers a plan with exactly the old fields: plan, charts, author, created_at, edited_at, channel', async () => {
    await fixture.bot.plans.post(DISCORD_ALICE, {
      coach: 'd',
      text: 'ES long above 5000',
      charts: [CHART],
      channelId: '900',
      channelName: 'coach-d-plans',
    });
    const response = await get(`/api/coach-plans/?coach=d&date=${TODAY}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toStrictEqual({
      plan: 'ES long above 5000',
      charts: [CHART.url],
      author: 'alice',
      created_at: '2026-11-20T15:00:00.000Z',
      edited_at: null,
      channel: 'coach-d-plans',
    });
  });

  it('answers the same without the trailing slash, in any coach spelling, and defaults the date to today', async () => {
    await fixture.bot.plans.post(DISCORD_ALICE, { coach: 'i', text: 'NQ short' });
    for (const url of [
      '/api/coach-plans?coach=i',
      '/api/coach-plans/?coach=I',
      '/api/coach-plans?coach=coach_i',
    ]) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(200);
      expect(response.json().plan, url).toBe('NQ short');
    }
  });

  it('shows edited_at once a plan was edited', async () => {
    const { plan } = await fixture.bot.plans.post(DISCORD_ALICE, { coach: 'd', text: 'first' });
    await fixture.bot.plans.edit(DISCORD_ALICE, { planId: plan.id }, { text: 'second' });
    await fixture.app.eventPoller.pollNow();
    const body = (await get('/api/coach-plans/?coach=d')).json();
    expect(body.plan).toBe('second');
    expect(body.edited_at).toBe('2026-11-20T15:00:00.000Z');
  });

  it('answers 200 with the old sentence and no charts when the coach has no plan', async () => {
    const response = await get('/api/coach-plans/?coach=s&date=2026-11-19');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toStrictEqual({
      plan: 'No plan available for coach_s on 2026-11-19',
      charts: [],
    });
  });

  it('refuses a missing coach with the old error sentence', async () => {
    for (const url of ['/api/coach-plans/', '/api/coach-plans/?coach=', '/api/coach-plans?date=2026-11-20']) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(400);
      const body = response.json();
      expect(body.error).toBe('Missing required parameter: coach');
      expect(body.code).toBe('VALIDATION');
      expect(body.request_id).toBe(response.headers['x-request-id']);
      expect(typeof body.message).toBe('string');
    }
  });

  it('refuses an unknown coach with the old error sentence listing the valid coaches', async () => {
    const response = await get('/api/coach-plans/?coach=x');
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe("Invalid coach name 'x'. Valid coaches: d, i, s, n");
  });

  it('refuses a malformed or impossible date with 400', async () => {
    for (const date of ['2026-13-01', '2026-02-30', 'yesterday', '20261120']) {
      const response = await get(`/api/coach-plans/?coach=d&date=${date}`);
      expect(response.statusCode, date).toBe(400);
      expect(response.json().code).toBe('VALIDATION');
      expect(response.json().error).toContain(date);
    }
  });

  it('lists every coach with a plan on /all, keyed coach_x, without channel', async () => {
    await fixture.bot.plans.post(DISCORD_ALICE, { coach: 'n', text: 'CPI at 8:30', channelName: 'news' });
    await fixture.bot.plans.post(DISCORD_BOB, { coach: 'd', text: 'Gap fill', charts: [CHART] });
    const response = await get(`/api/coach-plans/all?date=${TODAY}`);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(Object.keys(body)).toStrictEqual(['coach_d', 'coach_n']);
    expect(body.coach_d).toStrictEqual({
      plan: 'Gap fill',
      charts: [CHART.url],
      author: 'bob',
      created_at: '2026-11-20T15:00:00.000Z',
      edited_at: null,
    });
    expect(Object.keys(body.coach_n).sort()).toStrictEqual([
      'author',
      'charts',
      'created_at',
      'edited_at',
      'plan',
    ]);
  });

  it('answers an empty object on /all for a date without plans, and 400 for a bad date', async () => {
    expect((await get('/api/coach-plans/all?date=2020-01-01')).json()).toStrictEqual({});
    const bad = await get('/api/coach-plans/all?date=2020-1-1');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toContain('2020-1-1');
  });

  it('lists previous texts on /history newest first with editor names', async () => {
    const { plan } = await fixture.bot.plans.post(DISCORD_ALICE, { coach: 'd', text: 'v1' });
    await fixture.bot.plans.edit(DISCORD_ALICE, { planId: plan.id }, { text: 'v2' });
    await fixture.bot.plans.edit(DISCORD_ALICE, { planId: plan.id }, { text: 'v3' });
    const response = await get(`/api/coach-plans/history?coach=d&date=${TODAY}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toStrictEqual({
      history: [
        { plan_text: 'v2', edited_by: 'alice', edited_at: '2026-11-20T15:00:00.000Z' },
        { plan_text: 'v1', edited_by: 'alice', edited_at: '2026-11-20T15:00:00.000Z' },
      ],
    });
    expect((await get('/api/coach-plans/history?coach=i')).json()).toStrictEqual({ history: [] });
    expect((await get('/api/coach-plans/history')).json().error).toBe('Missing required parameter: coach');
    expect((await get('/api/coach-plans/history?coach=zz')).statusCode).toBe(400);
  });

  it('tags plan answers with an ETag and answers 304 to a matching If-None-Match', async () => {
    await fixture.bot.plans.post(DISCORD_ALICE, { coach: 'd', text: 'ES long' });
    for (const url of ['/api/coach-plans/?coach=d', '/api/coach-plans/all']) {
      const first = await get(url);
      const etag = first.headers.etag as string;
      expect(etag, url).toMatch(/^W\/".+"$/);
      const revalidated = await get(url, { 'if-none-match': etag });
      expect(revalidated.statusCode, url).toBe(304);
      expect(revalidated.body, url).toBe('');
      expect(revalidated.headers.etag, url).toBe(etag);
      expect((await get(url, { 'if-none-match': 'W/"other"' })).statusCode, url).toBe(200);
    }
  });

  it('changes the ETag when the bot edits the plan from its own connection', async () => {
    const { plan } = await fixture.bot.plans.post(DISCORD_ALICE, { coach: 'd', text: 'before' });
    const before = await get('/api/coach-plans/?coach=d');
    await fixture.bot.plans.edit(DISCORD_ALICE, { planId: plan.id }, { text: 'after' });
    await fixture.app.eventPoller.pollNow();
    const after = await get('/api/coach-plans/?coach=d', { 'if-none-match': before.headers.etag as string });
    expect(after.statusCode).toBe(200);
    expect(after.json().plan).toBe('after');
    expect(after.headers.etag).not.toBe(before.headers.etag);
  });

  it('describes itself on / with name, version and endpoint list', async () => {
    const body = (await get('/')).json();
    expect(Object.keys(body).sort()).toStrictEqual(['endpoints', 'name', 'version']);
    expect(body.endpoints).toContain('GET /api/coach-plans/all?date=YYYY-MM-DD');
  });

  it('lists on / every route /openapi.json documents, each one a route the API serves', async () => {
    const endpoints: string[] = (await get('/')).json().endpoints;
    const listed = endpoints.map((endpoint) => endpoint.replace(/\?.*$/, ''));
    // Those a new user missed when the list was written by hand.
    expect(listed).toEqual(
      expect.arrayContaining([
        'GET /api/v1/markets',
        'POST /api/v1/markets/{id}/bets',
        'GET /api/v1/guilds/{guildId}/leaderboard',
        'GET /api/v1/calendar',
        'GET /health/ready',
        'GET /metrics/prometheus',
      ]),
    );
    const document = (await get('/openapi.json')).json() as { paths: Record<string, object> };
    const documented = Object.entries(document.paths)
      .flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
      )
      .filter((endpoint) => endpoint !== 'GET /');
    expect(listed.filter((endpoint) => !documented.includes(endpoint))).toStrictEqual([
      'GET /openapi.json',
      'GET /docs',
    ]);
    expect(documented.filter((endpoint) => !listed.includes(endpoint))).toStrictEqual([]);
    expect(new Set(listed).size).toBe(listed.length);
    for (const endpoint of listed) {
      const [method, path] = endpoint.split(' ') as ['GET', string];
      const url = path.replaceAll(/\{(\w+)\}/g, ':$1');
      // The router ignores trailing slashes: `/api/coach-plans/` is stored as `/api/coach-plans`.
      const served = [url, url.replace(/(.)\/$/, '$1')].some((candidate) =>
        fixture.app.hasRoute({ method, url: candidate }),
      );
      expect(served, endpoint).toBe(true);
    }
    // The legacy routes keep their query, as the old list showed it.
    expect(endpoints).toContain('GET /api/coach-plans/?coach=<coach>&date=YYYY-MM-DD');
    expect(endpoints).toContain('GET /api/coach-plans/history?coach=<coach>&date=YYYY-MM-DD');
  });
});

describe('legacy answers across midnight', () => {
  it('never files one day’s answer under another day’s cache key', async () => {
    // The first reading of the clock is 23:59:59.999 in New York on 2026-11-20; every later one is the next day.
    let readings = 0;
    const clock = {
      now: () => Date.parse(readings++ === 0 ? '2026-11-21T04:59:59.999Z' : '2026-11-21T05:00:00.001Z'),
    };
    const fixture = await createApiFixture({ clock });
    try {
      await fixture.bot.plans.post(DISCORD_ALICE, {
        coach: 'd',
        text: 'Friday plan',
        tradingDate: '2026-11-20',
      });
      await fixture.bot.plans.post(DISCORD_ALICE, {
        coach: 'd',
        text: 'Saturday plan',
        tradingDate: '2026-11-21',
      });
      readings = 0;
      const dateless = (await fixture.app.inject({ url: '/api/coach-plans/?coach=d' })).json();
      const friday = (await fixture.app.inject({ url: '/api/coach-plans/?coach=d&date=2026-11-20' })).json();
      expect(friday.plan).toBe('Friday plan');
      expect(['Friday plan', 'Saturday plan']).toContain(dateless.plan);
      readings = 0;
      await fixture.app.inject({ url: '/api/coach-plans/all' });
      const fridayAll = (await fixture.app.inject({ url: '/api/coach-plans/all?date=2026-11-20' })).json();
      expect(fridayAll.coach_d.plan).toBe('Friday plan');
    } finally {
      await fixture.close();
    }
  });
});
