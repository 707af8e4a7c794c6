import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ApiFixture, createApiFixture, TRADER_KEY } from '../test-support/api-fixture.js';
import { ALICE_ID, GUILD_ID, marketClient } from '../test-support/market-requests.js';

// JSON bodies written by hand: `\ud83d` with no low surrogate after it decodes to a lone surrogate.
const LONE = '\\ud83d';

describe('text with unpaired surrogates through the API', () => {
  let fixture: ApiFixture;
  beforeEach(async () => {
    fixture = await createApiFixture();
  });
  afterEach(async () => {
    await fixture.close();
  });

  const send = (method: 'POST' | 'PATCH', url: string, json: string) =>
    fixture.app.inject({
      method,
      url,
      payload: json,
      headers: { authorization: `Bearer ${TRADER_KEY}`, 'content-type': 'application/json' },
    });
  // Every row, deleted or not, on either backend.
  const planRows = () => fixture.coachwire.store.countPlans({ includeDeleted: true });

  it('refuses a lone surrogate in any text field with 400 VALIDATION naming the field, and stores nothing', async () => {
    const cases: [string, string][] = [
      [`{"coach":"d","text":"a${LONE}b"}`, 'text'],
      [`{"coach":"d","text":"\\ude00 at the start"}`, 'text'],
      [
        `{"coach":"d","text":"ok","charts":[{"url":"https://x.test/a.png","filename":"a${LONE}.png"}]}`,
        'charts[0].filename',
      ],
      [
        `{"coach":"d","text":"ok","charts":[{"url":"https://x.test/${LONE}.png","filename":"a.png"}]}`,
        'charts[0].url',
      ],
    ];
    for (const [json, field] of cases) {
      const response = await send('POST', '/api/v1/plans', json);
      expect(response.statusCode, json).toBe(400);
      const body = response.json();
      expect(Object.keys(body).sort(), json).toStrictEqual([
        'code',
        'error',
        'field',
        'message',
        'request_id',
      ]);
      expect(body, json).toMatchObject({ code: 'VALIDATION', field });
      expect(body.message, json).toContain(field);
    }
    expect(await planRows()).toBe(0);
  });

  it('refuses one in an edit and keeps the stored text, while paired surrogates (emoji) are fine', async () => {
    const created = await send('POST', '/api/v1/plans', '{"coach":"d","text":"levels \\ud83d\\udcc8"}');
    expect(created.statusCode).toBe(201);
    expect(created.json().text).toBe('levels 📈');
    const edit = await send('PATCH', `/api/v1/plans/${created.json().id}`, `{"text":"new ${LONE}"}`);
    expect(edit.statusCode).toBe(400);
    expect(edit.json()).toMatchObject({ code: 'VALIDATION', field: 'text' });
    expect((await fixture.app.inject(`/api/v1/plans/${created.json().id}`)).json().text).toBe('levels 📈');
  });
});

describe('text with a NUL character through the API', () => {
  let fixture: ApiFixture;
  beforeEach(async () => {
    fixture = await createApiFixture({ clock: { now: () => Date.parse('2026-11-20T15:00:00Z') } });
  });
  afterEach(async () => {
    await fixture.close();
  });

  // PostgreSQL's text cannot hold U+0000: it answered 503 there while SQLite kept the text, which then stopped
  // `db copy`. Both refuse it now, as the request's own mistake.
  it('refuses "\\u0000" in plan and market texts with 400 VALIDATION naming the field, on either backend', async () => {
    const client = marketClient(fixture.app);
    const market = await client.createMarket({ mechanism: 'pool', options: ['Up', 'Down'] });
    const base = {
      guild_id: GUILD_ID,
      user_id: ALICE_ID,
      question: 'Q?',
      mechanism: 'pool',
      options: ['Up', 'Down'],
      closes_at: '2026-11-21T21:00:00Z',
    };
    const cases: [string, object, string][] = [
      ['/api/v1/plans', { coach: 'd', text: 'a\u0000b' }, 'text'],
      ['/api/v1/markets', { ...base, question: 'Q\u0000?' }, 'question'],
      ['/api/v1/markets', { ...base, description: 'd\u0000' }, 'description'],
      // A lone surrogate, refused in plans already, was kept in markets: as bytes that are not UTF-8 by
      // SQLite, as U+FFFD by PostgreSQL.
      ['/api/v1/markets', { ...base, question: 'Q\ud800?' }, 'question'],
      ['/api/v1/markets', { ...base, options: ['U\u0000p', 'Down'] }, 'options'],
      ['/api/v1/markets', { ...base, user_name: 'al\u0000ice' }, 'actor.name'],
      [`/api/v1/markets/${market.id}/cancel`, { user_id: ALICE_ID, reason: 'r\u0000' }, 'reason'],
    ];
    for (const [url, payload, field] of cases) {
      const response = await client.post(url, payload);
      expect(response.statusCode, `${url} ${field}`).toBe(400);
      expect(response.json(), `${url} ${field}`).toMatchObject({ code: 'VALIDATION', field });
    }
    expect(await fixture.coachwire.store.countPlans({ includeDeleted: true })).toBe(0);
    // A filter holding one matches nothing, as on SQLite (PostgreSQL answered 503).
    const byAuthor = await client.get('/api/v1/plans?author_id=a%00');
    expect(byAuthor.statusCode).toBe(200);
    expect(byAuthor.json().data).toStrictEqual([]);
    const markets = (await client.get(`/api/v1/markets?guild_id=${GUILD_ID}`)).json();
    expect(markets.data.map((m: { id: number; status: string }) => [m.id, m.status])).toStrictEqual([
      [market.id, 'open'],
    ]);
  });
});
