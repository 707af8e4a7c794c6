import type { LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { type ApiFixture, createApiFixture, TRADER_KEY } from '../test-support/api-fixture.js';
import { expectErrorShape } from '../test-support/error-shape.js';
import { listenOnLoopback } from '../test-support/listen.js';

const DESK = 'https://desk.example';
const KEYED = { authorization: `Bearer ${TRADER_KEY}` };

let fixture: ApiFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

async function open(overrides: Parameters<typeof createApiFixture>[0] = {}): Promise<ApiFixture> {
  await fixture?.close();
  fixture = await createApiFixture(overrides);
  return fixture;
}

/** A 405 in the API's error shape, with the Allow header `allow` and a message that names those methods. */
function expectMethodNotAllowed(response: LightMyRequestResponse, label: string, allow: string): void {
  expect(response.statusCode, `${label}: ${response.body}`).toBe(405);
  expect(response.headers.allow, label).toBe(allow);
  expectErrorShape(label, 405, response.headers, response.body, label);
  const body = response.json();
  expect(body.code, label).toBe('METHOD_NOT_ALLOWED');
  expect(body.message, label).toContain(allow);
}

function expectNotFound(response: LightMyRequestResponse, label: string): void {
  expect(response.statusCode, `${label}: ${response.body}`).toBe(404);
  expect(response.headers.allow, label).toBeUndefined();
  expect(response.json()).toMatchObject({ error: 'Not Found', code: 'NOT_FOUND' });
}

describe('a method the path does not serve', () => {
  it('answers 405 with Allow on a static v1 path, in the v1 error shape', async () => {
    const { app } = await open();
    const response = await app.inject({ method: 'DELETE', url: '/api/v1/markets', headers: KEYED });
    expectMethodNotAllowed(response, 'DELETE /api/v1/markets', 'GET, HEAD, POST');
    expect(response.json()).toMatchObject({
      error: 'Method Not Allowed',
      request_id: response.headers['x-request-id'],
    });
    expect(response.json().message).toContain('DELETE');
  });

  it('matches parametric and wildcard paths as the router does, on every family of routes', async () => {
    const { app } = await open();
    for (const [method, url, allow] of [
      ['PUT', '/api/v1/markets/123', 'GET, HEAD'],
      ['GET', '/api/v1/markets/123/bets', 'POST'],
      ['DELETE', '/api/v1/markets/7/resolve', 'POST'],
      ['POST', '/api/v1/plans/1', 'GET, HEAD, PATCH, DELETE'],
      ['PUT', '/api/v1/plans', 'GET, HEAD, POST'],
      ['PATCH', '/api/v1/coaches/d/plans/2026-11-20', 'GET, HEAD'],
      ['POST', '/api/v1/guilds/900000000000000001/users/111111111111111111', 'GET, HEAD'],
      ['TRACE', '/api/v1/markets', 'GET, HEAD, POST'],
      ['POST', '/api/v1/events', 'GET, HEAD'],
      ['DELETE', '/', 'GET, HEAD'],
      ['POST', '/openapi.json', 'GET, HEAD'],
      ['DELETE', '/docs', 'GET, HEAD'],
      ['POST', '/metrics/prometheus', 'GET, HEAD'],
      ['POST', '/app/markets/7', 'GET, HEAD'],
    ] as const) {
      const label = `${method} ${url}`;
      expectMethodNotAllowed(await app.inject({ method, url, headers: KEYED }), label, allow);
    }
  });

  it('ignores a trailing slash as the router does', async () => {
    const { app } = await open();
    for (const [method, url, allow] of [
      ['DELETE', '/api/v1/markets/', 'GET, HEAD, POST'],
      ['PUT', '/api/v1/markets/123/', 'GET, HEAD'],
      ['POST', '/api/coach-plans', 'GET, HEAD'],
      ['POST', '/api/coach-plans/', 'GET, HEAD'],
    ] as const) {
      expectMethodNotAllowed(await app.inject({ method, url, headers: KEYED }), `${method} ${url}`, allow);
    }
  });

  it('answers a legacy path in the legacy error shape, the sentence in `error`', async () => {
    const { app } = await open();
    for (const url of ['/api/coach-plans/?coach=d', '/api/coach-plans/all', '/api/coach-plans/history']) {
      const response = await app.inject({ method: 'POST', url, payload: {} });
      expectMethodNotAllowed(response, `POST ${url}`, 'GET, HEAD');
      const body = response.json();
      expect(body.error, url).toBe(body.message);
    }
  });

  it('keeps 404 for paths no route matches, whatever the method', async () => {
    const { app } = await open();
    for (const [method, url] of [
      ['GET', '/api/v2/plans'],
      ['PUT', '/api/v2/plans'],
      ['DELETE', '/api/v1/markets/1/nothing'],
      ['GET', '/api/coach-plans/nothing'],
      ['POST', '/api/coach-plans/nothing'],
      ['PUT', '/nope'],
      ['HEAD', '/nope'],
    ] as const) {
      const response = await app.inject({ method, url, headers: KEYED });
      if (method === 'HEAD') expect(response.statusCode).toBe(404);
      else expectNotFound(response, `${method} ${url}`);
    }
  });

  it('lists HEAD wherever GET is served, and answers HEAD on a write-only path with 405 and no body', async () => {
    const { app } = await open();
    expect((await app.inject({ method: 'HEAD', url: '/api/v1/markets' })).statusCode).toBe(200);
    const head = await app.inject({ method: 'HEAD', url: '/api/v1/markets/1/bets' });
    expect(head.statusCode).toBe(405);
    expect(head.headers.allow).toBe('POST');
    expect(head.body).toBe('');
  });

  it('refuses the method before reading the body: no 415 or 400 for a body the route would never take', async () => {
    const { app } = await open();
    for (const [contentType, payload] of [
      ['text/xml', '<plan/>'],
      ['application/json', '{"broken'],
    ] as const) {
      const response = await app.inject({
        method: 'PUT',
        url: '/api/v1/plans/1',
        headers: { ...KEYED, 'content-type': contentType },
        payload,
      });
      expectMethodNotAllowed(response, `PUT ${contentType}`, 'GET, HEAD, PATCH, DELETE');
    }
  });

  it('sends the same answer over real HTTP', async () => {
    const { app } = await open();
    const base = await listenOnLoopback(app);
    const response = await fetch(`${base}/api/v1/markets`, { method: 'DELETE', headers: KEYED });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD, POST');
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toMatchObject({ code: 'METHOD_NOT_ALLOWED', error: 'Method Not Allowed' });
  });
});

describe('405 beside the other concerns every request meets', () => {
  it('leaves OPTIONS to the CORS plugin: preflights answered as before, a bare OPTIONS still 404', async () => {
    const { app } = await open({ overrides: { cors: { origins: ['*'], write_origins: [DESK] } } });
    const preflight = (url: string, method: string) =>
      app.inject({
        method: 'OPTIONS',
        url,
        headers: { origin: DESK, 'access-control-request-method': method },
      });
    for (const [url, method, allowedOrigin] of [
      ['/api/v1/markets', 'DELETE', DESK],
      ['/api/v1/markets/1/bets', 'POST', DESK],
      ['/api/v1/markets/1/bets', 'GET', '*'],
      ['/api/v1/plans', 'GET', '*'],
    ] as const) {
      const answer = await preflight(url, method);
      expect(answer.statusCode, `${method} ${url}`).toBe(204);
      expect(answer.headers['access-control-allow-origin'], `${method} ${url}`).toBe(allowedOrigin);
      expect(answer.headers.allow, `${method} ${url}`).toBeUndefined();
    }
    // OPTIONS is answered only as a CORS preflight, so it is in no Allow list and a bare one is unknown.
    expectNotFound(await app.inject({ method: 'OPTIONS', url: '/api/v1/markets' }), 'bare OPTIONS');
    const listed = await app.inject({ method: 'PUT', url: '/api/v1/markets', headers: KEYED });
    expect(listed.headers.allow).not.toContain('OPTIONS');
  });

  it('gives a write origin the 405 of a write method, and another origin no CORS permission on it', async () => {
    const { app } = await open({ overrides: { cors: { origins: ['*'], write_origins: [DESK] } } });
    const from = (origin: string) =>
      app.inject({ method: 'DELETE', url: '/api/v1/markets', headers: { ...KEYED, origin } });
    const desk = await from(DESK);
    expect(desk.statusCode).toBe(405);
    expect(desk.headers['access-control-allow-origin']).toBe(DESK);
    const other = await from('https://elsewhere.example');
    expect(other.statusCode).toBe(405);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('asks an anonymous client for a key before telling it the methods when reads need a key', async () => {
    const { app } = await open({ overrides: { api: { require_key_for_reads: true } } });
    const anonymous = await app.inject({ method: 'DELETE', url: '/api/v1/markets' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers.allow).toBeUndefined();
    expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer/);
    const keyed = await app.inject({ method: 'DELETE', url: '/api/v1/markets', headers: KEYED });
    expectMethodNotAllowed(keyed, 'keyed DELETE /api/v1/markets', 'GET, HEAD, POST');
    // As before: an unknown path is 404 for anyone, and the probes (public) need no key.
    expectNotFound(await app.inject({ method: 'DELETE', url: '/api/v2/markets' }), 'anonymous unknown');
    expectMethodNotAllowed(
      await app.inject({ method: 'POST', url: '/health/live' }),
      'anonymous POST /health/live',
      'GET, HEAD',
    );
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/api/v1/markets',
      headers: { origin: 'https://board.example', 'access-control-request-method': 'GET' },
    });
    expect(preflight.statusCode).toBe(204);
  });

  it('counts 405s under the (unmatched) route label, never one label per path', async () => {
    const { app } = await open();
    await app.inject({ method: 'DELETE', url: '/api/v1/markets', headers: KEYED });
    await app.inject({ method: 'PUT', url: '/api/v1/markets/123', headers: KEYED });
    const text = (await app.inject({ url: '/metrics/prometheus' })).body;
    expect(text).toMatch(
      /coachwire_api_requests_total\{method="DELETE",route="\(unmatched\)",status="405"\} 1/,
    );
    expect(text).toMatch(/coachwire_api_requests_total\{method="PUT",route="\(unmatched\)",status="405"\} 1/);
    expect(text).not.toMatch(/route="\/api\/v1\/markets[^"]*",status="405"/);
  });

  it('rate limits 405s as every other answer', async () => {
    const { app } = await open({
      overrides: { rate_limits: { api_per_ip: { max: 2, window_seconds: 60 } } },
    });
    const statuses: number[] = [];
    for (let index = 0; index < 3; index++)
      statuses.push((await app.inject({ method: 'DELETE', url: '/api/v1/markets' })).statusCode);
    expect(statuses).toStrictEqual([405, 405, 429]);
  });

  it('adds nothing to the OpenAPI document', async () => {
    const { app } = await open();
    const paths = (await app.inject({ url: '/openapi.json' })).json().paths as Record<string, object>;
    expect(Object.keys(paths['/api/v1/markets'] ?? {}).sort()).toStrictEqual(['get', 'post']);
    expect(Object.keys(paths['/api/v1/markets/{id}/bets'] ?? {})).toStrictEqual(['post']);
    expect(Object.keys(paths['/api/coach-plans/'] ?? {})).toStrictEqual(['get']);
  });
});
