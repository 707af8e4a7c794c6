import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, createApiFixture, DISCORD_ALICE, TRADER_KEY } from './test-support/api-fixture.js';

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
);
const randomPath = fc.oneof(
  fc.constantFrom(...PATHS),
  fc
    .array(segment, { minLength: 1, maxLength: 5 })
    .map((parts) => `/${parts.map(encodeURIComponent).join('/')}`),
  fc.tuple(fc.constantFrom(...PATHS), segment).map(([path, extra]) => `${path}/${encodeURIComponent(extra)}`),
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
        async (method, path, search, payload, withKey) => {
          const response = await fixture.app.inject({
            method,
            url: search ? `${path}?${search}` : path,
            headers: {
              ...(withKey ? { authorization: `Bearer ${TRADER_KEY}` } : {}),
              ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
            },
            ...(payload !== undefined && method !== 'GET' && method !== 'HEAD' ? { payload } : {}),
          });
          expect(response.statusCode, `${method} ${path}?${search}`).toBeLessThan(500);
          if (response.statusCode >= 400 && method !== 'HEAD') {
            const json = response.json();
            expect(typeof json.error).toBe('string');
            expect(typeof json.message).toBe('string');
            expect(typeof json.code).toBe('string');
            expect(json.request_id).toBe(response.headers['x-request-id']);
          }
        },
      ),
      { numRuns: 3000 },
    );
  }, 120_000);
});
