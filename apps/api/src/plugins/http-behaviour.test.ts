import { afterEach, describe, expect, it } from 'vitest';
import { apiStorageOf } from '../api-storage.js';
import { buildApp } from '../app.js';
import { type ApiFixture, createApiFixture, TRADER_KEY } from '../test-support/api-fixture.js';

describe('HTTP behaviour shared by every route', () => {
  let fixture: ApiFixture | undefined;
  afterEach(async () => {
    await fixture?.close();
    fixture = undefined;
  });
  // A test may open several in turn: each replaces (and closes) the one before, so none is left behind.
  const open = async (overrides: Parameters<typeof createApiFixture>[0] = {}) => {
    await fixture?.close();
    fixture = await createApiFixture(overrides);
    return fixture;
  };

  it('answers unknown routes with 404, and a method a known path does not serve with 405, in the error shape', async () => {
    const { app } = await open();
    for (const [method, url, status, error, code] of [
      ['GET', '/api/v2/plans', 404, 'Not Found', 'NOT_FOUND'],
      ['PUT', '/api/v1/plans/1', 405, 'Method Not Allowed', 'METHOD_NOT_ALLOWED'],
      ['GET', '/api/coach-plans/nothing', 404, 'Not Found', 'NOT_FOUND'],
    ] as const) {
      const response = await app.inject({ method, url });
      expect(response.statusCode, url).toBe(status);
      const body = response.json();
      expect(Object.keys(body).sort()).toStrictEqual(['code', 'error', 'message', 'request_id']);
      expect(body).toMatchObject({ error, code, request_id: response.headers['x-request-id'] });
      expect(response.headers.allow, url).toBe(status === 405 ? 'GET, HEAD, PATCH, DELETE' : undefined);
    }
  });

  it('echoes a safe X-Request-Id and replaces an unsafe one', async () => {
    const { app } = await open();
    const kept = await app.inject({ url: '/api/v1/coaches', headers: { 'x-request-id': 'trace-42.a_b' } });
    expect(kept.headers['x-request-id']).toBe('trace-42.a_b');
    for (const unsafe of ['has space', 'x'.repeat(65), 'semi;colon', '']) {
      const replaced = await app.inject({ url: '/nope', headers: { 'x-request-id': unsafe } });
      const id = replaced.headers['x-request-id'] as string;
      expect(id).not.toBe(unsafe);
      expect(id).toMatch(/^[A-Za-z0-9._-]{1,64}$/);
      expect(replaced.json().request_id).toBe(id);
    }
  });

  it('limits requests per address with 429, Retry-After and the error shape', async () => {
    const { app } = await open({
      overrides: { rate_limits: { api_per_ip: { max: 3, window_seconds: 60 } } },
    });
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof app.inject>> | undefined;
    for (let index = 0; index < 5; index++) {
      last = await app.inject({ url: '/api/v1/coaches' });
      statuses.push(last.statusCode);
    }
    expect(statuses).toStrictEqual([200, 200, 200, 429, 429]);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    expect(last!.json()).toMatchObject({ error: 'Too Many Requests', code: 'RATE_LIMITED' });
  });

  it('behind a proxy, counts the address the proxy saw, not one the client wrote into X-Forwarded-For', async () => {
    const { app } = await open({
      overrides: { api: { trust_proxy: true }, rate_limits: { api_per_ip: { max: 2, window_seconds: 60 } } },
    });
    // nginx's $proxy_add_x_forwarded_for appends the client's address to whatever the client sent.
    const statuses: number[] = [];
    for (let index = 0; index < 4; index++) {
      const response = await app.inject({
        url: '/api/v1/coaches',
        remoteAddress: '10.0.0.2',
        headers: { 'x-forwarded-for': `198.51.100.${index}, 203.0.113.9` },
      });
      statuses.push(response.statusCode);
    }
    expect(statuses).toStrictEqual([200, 200, 429, 429]);
    // Another client behind the same proxy still has its own allowance.
    const other = await app.inject({
      url: '/api/v1/coaches',
      remoteAddress: '10.0.0.2',
      headers: { 'x-forwarded-for': '203.0.113.10' },
    });
    expect(other.statusCode).toBe(200);
  });

  it('counts a valid API key separately from the address, with its own limit', async () => {
    const { app } = await open({
      overrides: {
        rate_limits: {
          api_per_ip: { max: 1, window_seconds: 60 },
          api_per_key: { max: 3, window_seconds: 60 },
        },
      },
    });
    expect((await app.inject({ url: '/api/v1/coaches' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/v1/coaches' })).statusCode).toBe(429);
    const withKey = { authorization: `Bearer ${TRADER_KEY}` };
    const keyed: number[] = [];
    for (let index = 0; index < 4; index++)
      keyed.push((await app.inject({ url: '/api/v1/coaches', headers: withKey })).statusCode);
    expect(keyed).toStrictEqual([200, 200, 200, 429]);
  });

  it('allows reads from any origin by default and writes only from cors.write_origins', async () => {
    const { app } = await open({
      overrides: { cors: { origins: ['*'], write_origins: ['https://desk.example'] } },
    });
    const read = await app.inject({
      url: '/api/v1/coaches',
      headers: { origin: 'https://anywhere.example' },
    });
    expect(read.headers['access-control-allow-origin']).toBe('*');
    const preflight = (origin: string) =>
      app.inject({
        method: 'OPTIONS',
        url: '/api/v1/plans',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization',
        },
      });
    const allowed = await preflight('https://desk.example');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://desk.example');
    expect(String(allowed.headers['access-control-allow-methods'])).toContain('POST');
    const refused = await preflight('https://anywhere.example');
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('sends no CORS headers but Vary to a request without an Origin, which is no CORS request', async () => {
    for (const origins of [['*'], ['https://board.example']]) {
      const { app } = await open({
        overrides: { cors: { origins, write_origins: ['https://desk.example'] } },
      });
      for (const request of [
        { url: '/api/coach-plans/?coach=d' },
        { url: '/api/v1/coaches' },
        {
          method: 'POST' as const,
          url: '/api/v1/plans',
          headers: { authorization: `Bearer ${TRADER_KEY}` },
          payload: {},
        },
      ]) {
        const answer = await app.inject(request);
        const corsHeaders = Object.keys(answer.headers).filter((name) => name.startsWith('access-control-'));
        expect(corsHeaders, `${origins} ${request.url}`).toEqual([]);
        // Shared caches still keep the answers for browsers apart.
        expect(answer.headers.vary, `${origins} ${request.url}`).toBe('Origin');
      }
      // The same read with an Origin gets them.
      const browser = await app.inject({
        url: '/api/coach-plans/?coach=d',
        headers: { origin: 'https://board.example' },
      });
      expect(browser.headers['access-control-allow-origin']).toBe(origins[0]);
      expect(browser.headers['access-control-expose-headers']).toContain('ETag');
    }
  });

  it('gives answers the CORS headers a browser needs: Vary, the allowed origin and the exposed headers', async () => {
    const { app } = await open({
      overrides: { cors: { origins: ['https://board.example'], write_origins: ['https://desk.example'] } },
    });
    const read = (origin: string) => app.inject({ url: '/api/v1/coaches', headers: { origin } });
    const allowedRead = await read('https://board.example');
    expect(allowedRead.headers['access-control-allow-origin']).toBe('https://board.example');
    expect(allowedRead.headers.vary).toBe('Origin');
    expect(String(allowedRead.headers['access-control-expose-headers']).split(', ')).toEqual(
      expect.arrayContaining(['ETag', 'X-Request-Id', 'Retry-After', 'X-RateLimit-Remaining']),
    );
    expect((await read('https://desk.example')).headers['access-control-allow-origin']).toBeUndefined();
    const write = await app.inject({
      method: 'POST',
      url: '/api/v1/plans',
      headers: { origin: 'https://desk.example', authorization: `Bearer ${TRADER_KEY}` },
      payload: { coach: 'd', text: 'from the desk' },
    });
    expect(write.headers['access-control-allow-origin']).toBe('https://desk.example');
    const head = await app.inject({
      method: 'HEAD',
      url: '/api/v1/coaches',
      headers: { origin: 'https://board.example' },
    });
    expect(head.headers['access-control-allow-origin']).toBe('https://board.example');
  });

  it('answers read preflights from any origin and treats others as unknown when writes allow no origin', async () => {
    const { app } = await open({ overrides: { cors: { origins: ['*'], write_origins: [] } } });
    const bare = await app.inject({ method: 'OPTIONS', url: '/api/v1/plans' });
    expect(bare.statusCode).toBe(404);
    const writePreflight = await app.inject({
      method: 'OPTIONS',
      url: '/api/v1/plans',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(writePreflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(writePreflight.headers['access-control-allow-methods']).toBeUndefined();
    const readPreflight = await app.inject({
      method: 'OPTIONS',
      url: '/api/v1/plans',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(readPreflight.statusCode).toBe(204);
    expect(readPreflight.headers['access-control-allow-origin']).toBe('*');
  });

  it('gives writes no CORS permission at all when no write origin is configured', async () => {
    const { app } = await open({ overrides: { cors: { origins: ['*'], write_origins: [] } } });
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/plans',
      headers: { origin: 'https://evil.example', authorization: `Bearer ${TRADER_KEY}` },
      payload: { coach: 'd', text: 'x' },
    });
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('requires a key for reads when api.require_key_for_reads is set, except the probes', async () => {
    const { app } = await open({ overrides: { api: { require_key_for_reads: true } } });
    const anonymous = await app.inject({ url: '/api/coach-plans/?coach=d' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(
      (await app.inject({ url: '/api/v1/plans', headers: { authorization: 'Bearer wrong' } })).statusCode,
    ).toBe(401);
    expect(
      (await app.inject({ url: '/api/v1/plans', headers: { authorization: `Bearer ${TRADER_KEY}` } }))
        .statusCode,
    ).toBe(200);
    expect((await app.inject({ url: '/health/live' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/health/ready' })).statusCode).toBe(200);
  });

  it('hides storage failures behind a generic 503 with an error id, never the path or SQL', async () => {
    const { app, database, dbPath } = await open();
    database.close();
    for (const url of ['/api/v1/plans', '/api/coach-plans/?coach=d', '/metrics']) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(503);
      // It is for a while: when to try again, as the load shedding says.
      expect(response.headers['retry-after'], url).toBe('5');
      const body = response.json();
      expect(body).toMatchObject({ error: 'Service Unavailable', code: 'STORAGE_UNAVAILABLE' });
      expect(body.error_id).toMatch(/^[0-9a-f]{10}$/);
      expect(body.message).toContain(body.error_id);
      expect(response.body).not.toContain(dbPath);
      expect(response.body).not.toMatch(/sqlite|select|stack/i);
    }
  });

  it('hides unexpected errors behind a generic 500', async () => {
    const { config, coachwire } = await open();
    const real = apiStorageOf(coachwire);
    const broken = {
      ...real,
      repository: Object.assign(Object.create(real.repository), {
        list: async () => {
          throw new Error('SELECT secret FROM plans near "x": syntax error at /srv/coachwire/db.sqlite');
        },
      }),
    };
    const pino = (await import('pino')).default;
    const app = await buildApp({ config, storage: broken, logger: pino({ level: 'silent' }) });
    try {
      const response = await app.inject({ url: '/api/v1/plans' });
      expect(response.statusCode).toBe(500);
      expect(response.json()).toMatchObject({ error: 'Internal Server Error', code: 'INTERNAL' });
      expect(response.body).not.toMatch(/SELECT|secret|srv/);
    } finally {
      await app.close();
    }
  });

  it('serves the OpenAPI document and Swagger UI from the route schemas', async () => {
    const { app } = await open();
    const document = (await app.inject({ url: '/openapi.json' })).json();
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/coach-plans/',
        '/api/v1/plans',
        '/api/v1/plans/{id}',
        '/api/v1/events',
        '/health',
      ]),
    );
    expect(document.components.schemas.ErrorResponse).toBeDefined();
    const ui = await app.inject({ url: '/docs' });
    expect([200, 302]).toContain(ui.statusCode);
  });
});
