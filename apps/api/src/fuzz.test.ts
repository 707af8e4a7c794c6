import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, createApiFixture, DISCORD_ALICE, TRADER_KEY } from './test-support/api-fixture.js';
import { type RawResponse, sendRaw } from './test-support/raw-http.js';

const ERROR_KEYS = ['code', 'error', 'message', 'request_id'];

/**
 * The documented error shape: exactly {error, message, code, request_id} (plus error_id on 5xx, field on
 * VALIDATION), request_id echoing X-Request-Id, and nothing of the request's path echoed back.
 */
function expectErrorShape(
  label: string,
  status: number,
  headers: Record<string, unknown>,
  text: string,
  path: string,
) {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error(`${label}: ${status} answered a body that is not JSON: ${text.slice(0, 200)}`);
  }
  const keys = Object.keys(json).filter((key) => key !== 'field' && key !== 'error_id');
  expect(keys.sort(), label).toStrictEqual(ERROR_KEYS);
  for (const key of ERROR_KEYS) expect(typeof json[key], `${label} ${key}`).toBe('string');
  expect(json.request_id, label).toBe(headers['x-request-id']);
  for (const part of path.split(/[/?&=]/)) {
    if (part.length >= 24) expect(text, `${label} echoes its path`).not.toContain(part);
  }
}

const PATHS = [
  '/',
  '/api/coach-plans/',
  '/api/coach-plans',
  '/api/coach-plans/all',
  '/api/coach-plans/history',
  '/api/v1/plans',
  '/api/v1/plans/1',
  '/api/v1/plans/1/history',
  '/api/v1/coaches',
  '/api/v1/coaches/d/plans/2026-11-20',
  '/health',
  '/health/ready',
  '/metrics',
];
const PARAMS = ['coach', 'date', 'limit', 'cursor', 'from', 'to', 'author_id', 'id', 'text', 'last_event_id'];
const METHODS = ['GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'HEAD', 'OPTIONS'] as const;

const segment = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('..', '%00', '%ff', '%', '1', '-1', '99999999999999999999', 'd', 'coach_d', '2026-11-20'),
  // Longer than the router's 200-character parameter limit, and the same with junk around it.
  fc.integer({ min: 150, max: 600 }).map((length) => 'p'.repeat(length)),
);
/** Raw path pieces sent without encoding: escapes that do not decode, and over-long ones. */
const rawSegment = fc.constantFrom('%E0%A4%A', '%', '%zz', '%C0%AF', `${'x'.repeat(250)}%ff`, '%F0%9F%98');
const randomPath = fc.oneof(
  fc.constantFrom(...PATHS),
  fc
    .array(segment, { minLength: 1, maxLength: 5 })
    .map((parts) => `/${parts.map(encodeURIComponent).join('/')}`),
  fc.tuple(fc.constantFrom(...PATHS), segment).map(([path, extra]) => `${path}/${encodeURIComponent(extra)}`),
  fc.tuple(fc.constantFrom(...PATHS), rawSegment).map(([path, extra]) => `${path}/${extra}`),
);
const query = fc
  .array(
    fc.tuple(fc.oneof(fc.constantFrom(...PARAMS), fc.string({ maxLength: 6 })), fc.string({ maxLength: 30 })),
    {
      maxLength: 4,
    },
  )
  .map((pairs) =>
    pairs.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&'),
  );
const body = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
  fc
    .record(
      {
        coach: fc.oneof(fc.constantFrom('d', 'i', 'zz', ''), fc.string()),
        text: fc.string(),
        date: fc.string(),
      },
      { requiredKeys: [] },
    )
    .map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 40 }),
  // Text fields holding unpaired surrogates, as a JSON escape.
  fc
    .tuple(fc.constantFrom('text', 'coach', 'date'), fc.constantFrom('\\ud83d', '\\ude00', 'a\\ud800b'))
    .map(([field, lone]) => `{"coach":"d","text":"ok","${field}":"${lone}"}`),
);
const validators = fc.oneof(
  fc.constant({}),
  fc.constantFrom('*', 'W/"x"', '""', 'garbage').map((tag) => ({ 'if-none-match': tag })),
  fc.constant({ 'if-modified-since': 'Thu, 01 Jan 2099 00:00:00 GMT' }),
);

describe('fuzzing the API with random requests', () => {
  let fixture: ApiFixture;
  beforeAll(async () => {
    fixture = await createApiFixture({
      overrides: { rate_limits: { api_per_ip: { max: 1_000_000, window_seconds: 60 } } },
    });
    await fixture.bot.plans.post(DISCORD_ALICE, { coach: 'd', text: 'seed plan' });
  });
  afterAll(async () => {
    await fixture.close();
  });

  it('never answers 5xx and always answers errors in the JSON error shape', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...METHODS),
        randomPath,
        query,
        body,
        fc.boolean(),
        validators,
        async (method, path, search, payload, withKey, conditional) => {
          const url = search ? `${path}?${search}` : path;
          const response = await fixture.app.inject({
            method,
            url,
            headers: {
              ...conditional,
              ...(withKey ? { authorization: `Bearer ${TRADER_KEY}` } : {}),
              ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
            },
            ...(payload !== undefined && method !== 'GET' && method !== 'HEAD' ? { payload } : {}),
          });
          const label = `${method} ${url}`;
          expect(response.statusCode, label).toBeLessThan(500);
          if (response.statusCode >= 400 && method !== 'HEAD')
            expectErrorShape(label, response.statusCode, response.headers, response.body, path);
        },
      ),
      { numRuns: 3000 },
    );
  }, 120_000);

  it("answers malformed HTTP on the wire, which Node's parser sees first, in the error shape too", async () => {
    await fixture.app.listen({ host: '127.0.0.1', port: 0 });
    const port = (fixture.app.server.address() as AddressInfo).port;
    const token = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,12}$/);
    const junk = fc.string({ unit: 'binary-ascii', maxLength: 30 });
    const method = fc.oneof(fc.constantFrom(...METHODS), token, junk);
    const target = fc.oneof(randomPath, junk, fc.constantFrom('*', 'http://x/', ''));
    const version = fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/1.x', 'HTTPS/1.1', '');
    const header = fc.oneof(
      fc.tuple(token, fc.string({ maxLength: 40 })).map(([name, value]) => `${name}: ${value}`),
      junk,
      fc.constantFrom(
        `X-Big: ${'b'.repeat(20_000)}`,
        'Content-Length: 5\r\nContent-Length: 6',
        'Transfer-Encoding: chunked, gzip',
        'Content-Length: -1',
        'Host: a\r\nHost: b',
      ),
    );
    const request = fc
      .tuple(method, target, version, fc.boolean(), fc.array(header, { maxLength: 4 }))
      .map(([verb, path, http, withHost, headers]) => ({
        path,
        text: [
          `${verb} ${path} ${http}`,
          ...(withHost ? ['Host: fuzz'] : []),
          ...headers,
          'Connection: close',
        ]
          .join('\r\n')
          .concat('\r\n\r\n'),
        head: verb === 'HEAD',
      }));
    await fc.assert(
      fc.asyncProperty(request, async ({ path, text, head }) => {
        const response: RawResponse | null = await sendRaw(port, text);
        const label = JSON.stringify(text.slice(0, 120));
        expect(response, `${label}: no answer`).not.toBeNull();
        expect(response!.status, label).toBeLessThan(500);
        if (response!.status >= 400 && !head && response!.body !== '')
          expectErrorShape(label, response!.status, response!.headers, response!.body, path);
        if (response!.status >= 400 && !head)
          expect(response!.body, `${label}: empty error body`).not.toBe('');
      }),
      { numRuns: 400 },
    );
  }, 120_000);
});
