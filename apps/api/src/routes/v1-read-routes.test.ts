import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type ApiFixture,
  createApiFixture,
  DISCORD_ALICE,
  DISCORD_BOB,
} from '../test-support/api-fixture.js';

const PLAN_KEYS = [
  'author',
  'channel',
  'charts',
  'coach',
  'coach_name',
  'created_at',
  'deleted_at',
  'edited_at',
  'guild_id',
  'id',
  'source_message_id',
  'text',
  'trading_date',
];
const CHART_KEYS = [
  'content_type',
  'filename',
  'height',
  'id',
  'sha256',
  'size',
  'source_url',
  'url',
  'width',
];

describe('GET /api/v1 reads', () => {
  let fixture: ApiFixture;
  beforeEach(async () => {
    fixture = await createApiFixture();
  });
  afterEach(async () => {
    await fixture.close();
  });

  const get = (url: string, headers: Record<string, string> = {}) => fixture.app.inject({ url, headers });
  const seed = async () => {
    for (const [coach, date, actor] of [
      ['d', '2026-11-18', DISCORD_ALICE],
      ['i', '2026-11-18', DISCORD_BOB],
      ['d', '2026-11-19', DISCORD_ALICE],
      ['s', '2026-11-19', DISCORD_BOB],
      ['d', '2026-11-20', DISCORD_ALICE],
    ] as const) {
      await fixture.bot.plans.post(actor, {
        coach,
        text: `${coach} on ${date}`,
        tradingDate: date,
        guildId: '77',
      });
    }
  };

  it('shows a plan with every documented field', async () => {
    const { plan } = await fixture.bot.plans.post(DISCORD_ALICE, {
      coach: 'd',
      text: 'ES long',
      charts: [
        {
          url: 'https://cdn.discordapp.com/a/b/c.png',
          filename: 'c.png',
          contentType: 'image/png',
          size: 10,
        },
      ],
      guildId: '77',
      channelId: '88',
      channelName: 'plans',
      sourceMessageId: '99',
    });
    const response = await get(`/api/v1/plans/${plan.id}`);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(Object.keys(body).sort()).toStrictEqual(PLAN_KEYS);
    expect(body).toMatchObject({
      id: plan.id,
      coach: 'd',
      coach_name: 'Coach D (Day Trading)',
      trading_date: '2026-11-20',
      text: 'ES long',
      author: { id: DISCORD_ALICE.id, name: 'alice' },
      guild_id: '77',
      channel: { id: '88', name: 'plans' },
      source_message_id: '99',
      edited_at: null,
      deleted_at: null,
    });
    expect(Object.keys(body.charts[0]).sort()).toStrictEqual(CHART_KEYS);
    expect(body.charts[0]).toMatchObject({
      url: 'https://cdn.discordapp.com/a/b/c.png',
      source_url: 'https://cdn.discordapp.com/a/b/c.png',
      filename: 'c.png',
      content_type: 'image/png',
      size: 10,
      sha256: null,
    });
  });

  it('answers 404 for an unknown or deleted plan and 400 for an id that is not a positive integer', async () => {
    const { plan } = await fixture.bot.plans.post(DISCORD_ALICE, { coach: 'd', text: 'x' });
    await fixture.bot.plans.delete(DISCORD_ALICE, { planId: plan.id });
    for (const id of [plan.id, 999]) {
      const response = await get(`/api/v1/plans/${id}`);
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ error: 'Not Found', code: 'NOT_FOUND' });
    }
    for (const id of ['abc', '0', '-1', '1.5']) {
      const response = await get(`/api/v1/plans/${id}`);
      expect(response.statusCode, id).toBe(400);
      expect(response.json().code).toBe('VALIDATION');
    }
  });

  it('lists plans newest date first and filters by date, coach, author and range', async () => {
    await seed();
    const all = (await get('/api/v1/plans')).json();
    expect(all.data.map((plan: { trading_date: string }) => plan.trading_date)).toStrictEqual([
      '2026-11-20',
      '2026-11-19',
      '2026-11-19',
      '2026-11-18',
      '2026-11-18',
    ]);
    expect(all.next_cursor).toBeNull();
    const texts = async (query: string) =>
      (await get(`/api/v1/plans?${query}`)).json().data.map((plan: { text: string }) => plan.text);
    expect(await texts('date=2026-11-19')).toStrictEqual(['s on 2026-11-19', 'd on 2026-11-19']);
    expect(await texts('coach=D')).toStrictEqual(['d on 2026-11-20', 'd on 2026-11-19', 'd on 2026-11-18']);
    expect(await texts(`author_id=${DISCORD_BOB.id}`)).toStrictEqual(['s on 2026-11-19', 'i on 2026-11-18']);
    expect(await texts('from=2026-11-19&to=2026-11-19&coach=d')).toStrictEqual(['d on 2026-11-19']);
  });

  it('pages with limit and next_cursor until the last page', async () => {
    await seed();
    const seen: number[] = [];
    let url = '/api/v1/plans?limit=2';
    let pages = 0;
    for (;;) {
      const body = (await get(url)).json();
      pages++;
      seen.push(...body.data.map((plan: { id: number }) => plan.id));
      if (body.next_cursor === null) break;
      url = `/api/v1/plans?limit=2&cursor=${encodeURIComponent(body.next_cursor)}`;
    }
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(5);
  });

  it('refuses a limit outside 1..200, a bad cursor, a bad date, an inverted range and an unknown coach', async () => {
    for (const query of [
      'limit=0',
      'limit=201',
      'limit=ten',
      'cursor=not-a-cursor',
      'date=2026-02-30',
      'from=2026-11-20&to=2026-11-01',
      'coach=zz',
    ]) {
      const response = await get(`/api/v1/plans?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json(), query).toMatchObject({ error: 'Bad Request', code: 'VALIDATION' });
    }
  });

  it('lists the configured coaches', async () => {
    expect((await get('/api/v1/coaches')).json()).toStrictEqual({
      data: [
        { id: 'd', name: 'Coach D (Day Trading)' },
        { id: 'i', name: 'Coach I (Intraday)' },
        { id: 's', name: 'Coach S (Swing)' },
        { id: 'n', name: 'Coach N (News/Events)' },
      ],
    });
  });

  it("finds a coach's plan by date, 404 when absent, 400 for a bad coach or date", async () => {
    await seed();
    const found = await get('/api/v1/coaches/d/plans/2026-11-19');
    expect(found.statusCode).toBe(200);
    expect(found.json().text).toBe('d on 2026-11-19');
    expect((await get('/api/v1/coaches/n/plans/2026-11-19')).statusCode).toBe(404);
    expect((await get('/api/v1/coaches/q/plans/2026-11-19')).statusCode).toBe(400);
    expect((await get('/api/v1/coaches/d/plans/2026-19-11')).statusCode).toBe(400);
  });

  it('lists the revisions of a plan newest first, 404 for an unknown plan', async () => {
    const { plan } = await fixture.bot.plans.post(DISCORD_ALICE, { coach: 'd', text: 'one' });
    await fixture.bot.plans.edit(DISCORD_ALICE, { planId: plan.id }, { text: 'two' });
    await fixture.bot.plans.edit(DISCORD_ALICE, { planId: plan.id }, { text: 'three' });
    const body = (await get(`/api/v1/plans/${plan.id}/history`)).json();
    expect(body.data.map((revision: { previous_text: string }) => revision.previous_text)).toStrictEqual([
      'two',
      'one',
    ]);
    expect(Object.keys(body.data[0]).sort()).toStrictEqual([
      'edited_at',
      'editor',
      'id',
      'plan_id',
      'previous_text',
    ]);
    expect(body.data[0]).toMatchObject({ plan_id: plan.id, editor: { id: DISCORD_ALICE.id, name: 'alice' } });
    expect((await get('/api/v1/plans/999/history')).statusCode).toBe(404);
  });

  it('tags plan, list and coach answers with ETags and answers 304 when unchanged', async () => {
    await seed();
    for (const url of [
      '/api/v1/plans/1',
      '/api/v1/plans?coach=d',
      '/api/v1/coaches',
      '/api/v1/plans/1/history',
    ]) {
      const first = await get(url);
      const etag = first.headers.etag as string;
      expect(etag, url).toMatch(/^W\/"/);
      const second = await get(url, { 'if-none-match': etag });
      expect(second.statusCode, url).toBe(304);
      expect(second.body, url).toBe('');
    }
    const head = await fixture.app.inject({ method: 'HEAD', url: '/api/v1/plans/1' });
    expect(head.headers.etag).toBe((await get('/api/v1/plans/1')).headers.etag);
    const before = (await get('/api/v1/plans?coach=d')).headers.etag as string;
    await fixture.bot.plans.edit(DISCORD_ALICE, { planId: 1 }, { text: 'changed' });
    expect((await get('/api/v1/plans?coach=d', { 'if-none-match': before })).statusCode).toBe(200);
  });

  it('answers a repeated read with what the bot wrote since, from its own connection, without polling', async () => {
    await seed();
    for (const url of ['/api/v1/plans?coach=d', '/api/v1/plans/1', '/api/v1/plans/1/history']) {
      await get(url);
      await get(url);
    }
    await fixture.bot.plans.edit(DISCORD_ALICE, { planId: 1 }, { text: 'edited by the bot' });
    const page = (await get('/api/v1/plans?coach=d')).json().data as { id: number; text: string }[];
    expect(page.find((plan) => plan.id === 1)?.text).toBe('edited by the bot');
    expect((await get('/api/v1/plans/1')).json().text).toBe('edited by the bot');
    expect((await get('/api/v1/plans/1/history')).json().data).toHaveLength(1);
  });
});
