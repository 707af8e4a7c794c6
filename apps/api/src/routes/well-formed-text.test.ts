import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ApiFixture, createApiFixture, TRADER_KEY } from '../test-support/api-fixture.js';

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
