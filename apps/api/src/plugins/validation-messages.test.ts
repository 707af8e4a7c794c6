import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, createApiFixture, TRADER_KEY } from '../test-support/api-fixture.js';
import { ALICE_ID, GUILD_ID } from '../test-support/market-requests.js';

describe("validation errors in the request's own words", () => {
  let fixture: ApiFixture;
  let base: string;
  let keys = 0;
  beforeAll(async () => {
    fixture = await createApiFixture();
    await fixture.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(fixture.app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => fixture.close());

  const post = async (path: string, body: object) => {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TRADER_KEY}`,
        'content-type': 'application/json',
        'idempotency-key': `validation-${++keys}`,
      },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const get = async (path: string) => {
    const response = await fetch(`${base}${path}`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('says the body must be JSON when it was sent as something else, whatever the schema would add', async () => {
    const send = async (contentType: string | undefined) => {
      const response = await fetch(`${base}/api/v1/plans`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${TRADER_KEY}`,
          ...(contentType === undefined ? {} : { 'content-type': contentType }),
        },
        body: JSON.stringify({ coach: 'd', text: 'Long SPY' }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    expect(await send('text/plain')).toMatchObject({
      status: 415,
      body: {
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: 'The body must be JSON, sent with Content-Type: application/json (got text/plain).',
      },
    });
    expect(await send('application/x-www-form-urlencoded')).toMatchObject({
      status: 415,
      body: {
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message:
          'The body must be JSON, sent with Content-Type: application/json (got application/x-www-form-urlencoded).',
      },
    });
    expect(await send('application/vnd.api+json')).toMatchObject({
      status: 415,
      body: { message: expect.stringContaining('(got application/vnd.api+json)') },
    });
  });

  it('answers a compressed body with 415 saying so, not with "not valid JSON"', async () => {
    const response = await fetch(`${base}/api/v1/plans`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TRADER_KEY}`,
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      },
      body: gzipSync(JSON.stringify({ coach: 'd', text: 'Long SPY' })),
    });
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message:
        'The body is sent with Content-Encoding: gzip, which the API does not decode. Send it uncompressed.',
    });
  });

  it('refuses a body that is not UTF-8 instead of storing U+FFFD for its characters', async () => {
    const send = (body: Buffer) =>
      fetch(`${base}/api/v1/plans`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TRADER_KEY}`, 'content-type': 'application/json' },
        body,
      });
    const plan = { coach: 'i', text: 'Long SPY au café', date: '2026-11-23' };
    const latin1 = await send(Buffer.from(JSON.stringify(plan), 'latin1'));
    expect(latin1.status).toBe(400);
    expect(await latin1.json()).toMatchObject({
      code: 'VALIDATION',
      message:
        'The body is not valid UTF-8: send the JSON encoded as UTF-8 (other encodings would lose characters).',
    });
    // Nothing was stored: the same plan in UTF-8 is created (201), with its text intact.
    const utf8 = await send(Buffer.from(JSON.stringify(plan), 'utf8'));
    expect(utf8.status).toBe(201);
    expect(await utf8.json()).toMatchObject({ coach: 'i', text: 'Long SPY au café' });
  });

  it('names the allowed values and the field, in the body and in the query', async () => {
    const created = await post('/api/v1/markets', {
      guild_id: GUILD_ID,
      user_id: ALICE_ID,
      question: 'Will SPY close green?',
      mechanism: 'amm',
      closes_at: '2026-11-21T21:00:00Z',
    });
    expect(created).toMatchObject({
      status: 400,
      body: {
        code: 'VALIDATION',
        message: 'Invalid request: body/mechanism must be one of "cpmm", "lmsr", "pool".',
        field: 'mechanism',
      },
    });
    expect(await get(`/api/v1/guilds/${GUILD_ID}/leaderboard?period=week`)).toMatchObject({
      status: 400,
      body: {
        code: 'VALIDATION',
        message: 'Invalid request: querystring/period must be one of "all", "month".',
        field: 'period',
      },
    });
    expect(await get('/api/v1/markets?status=done')).toMatchObject({
      status: 400,
      body: {
        message:
          'Invalid request: querystring/status must be one of "open", "closed", "resolved", "cancelled".',
        field: 'status',
      },
    });
  });

  it("keeps the validator's sentence for every other failure", async () => {
    const bet = await post('/api/v1/markets/1/bets', { user_id: ALICE_ID, option: 'yes', amount: 0 });
    expect(bet.status).toBe(400);
    expect(bet.body.message).toBe('Invalid request: body/amount must be >= 1.');
    expect(bet.body).not.toHaveProperty('field');
  });

  it('names a field the domain refuses as the request names it (closes_at, not closesAt)', async () => {
    const market = {
      guild_id: GUILD_ID,
      user_id: ALICE_ID,
      question: 'Will SPY close green?',
      mechanism: 'cpmm',
    };
    expect(await post('/api/v1/markets', { ...market, closes_at: '2020-01-01T00:00:00Z' })).toMatchObject({
      status: 400,
      body: { message: 'The close time must be in the future.', field: 'closes_at' },
    });
    expect(await post('/api/v1/markets', { ...market, closes_at: 'tomorrow' })).toMatchObject({
      status: 400,
      body: { field: 'closes_at' },
    });
  });
});
