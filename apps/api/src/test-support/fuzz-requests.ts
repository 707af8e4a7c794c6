import fc from 'fast-check';
import { TRADER_KEY } from './api-fixture.js';

// Random requests for the API's fuzz test and its memory script: the routes, with mangled paths (over-long
// and undecodable parameters), random queries and bodies (unpaired surrogates included) and validators.

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
  '/api/v1/markets',
  '/api/v1/markets/1',
  '/api/v1/markets/1/trades',
  '/api/v1/markets/1/history',
  '/api/v1/markets/1/quote',
  '/api/v1/markets/1/bets',
  '/api/v1/markets/1/sells',
  '/api/v1/markets/1/resolve',
  '/api/v1/markets/1/cancel',
  '/api/v1/markets/1/unresolve',
  '/api/v1/guilds/900000000000000001/leaderboard',
  '/api/v1/guilds/900000000000000001/users/222222222222222222',
  '/api/v1/guilds/900000000000000001/users/222222222222222222/grants',
  '/api/v1/coaches/d/calls',
];
const PARAMS = [
  'coach',
  'date',
  'limit',
  'cursor',
  'from',
  'to',
  'author_id',
  'id',
  'text',
  'last_event_id',
  'guild_id',
  'status',
  'plan_id',
  'period',
  'points',
  'types',
  'market_id',
];
export const METHODS = ['GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'HEAD', 'OPTIONS'] as const;

const segment = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('..', '%00', '%ff', '%', '1', '-1', '99999999999999999999', 'd', 'coach_d', '2026-11-20'),
  // Longer than the router's 200-character parameter limit, and the same with junk around it.
  fc.integer({ min: 150, max: 600 }).map((length) => 'p'.repeat(length)),
);
/** Raw path pieces sent without encoding: escapes that do not decode, and over-long ones. */
const rawSegment = fc.constantFrom('%E0%A4%A', '%', '%zz', '%C0%AF', `${'x'.repeat(250)}%ff`, '%F0%9F%98');
export const randomPath = fc.oneof(
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
  // Market bodies: valid-looking and broken fields of every market route.
  fc
    .record(
      {
        guild_id: fc.oneof(fc.constant('900000000000000001'), fc.string({ maxLength: 70 })),
        user_id: fc.oneof(fc.constant('222222222222222222'), fc.string({ maxLength: 70 })),
        question: fc.string({ maxLength: 320 }),
        mechanism: fc.constantFrom('cpmm', 'lmsr', 'pool', 'amm', ''),
        closes_at: fc.constantFrom('2026-11-21T21:00:00Z', '2020-01-01T00:00:00Z', 'soon', '2099-01-01'),
        options: fc.array(fc.string({ maxLength: 60 }), { maxLength: 12 }),
        option: fc.oneof(fc.constantFrom('yes', 'No', 'MKT', 0, 1, 9, -1), fc.string(), fc.double()),
        outcome: fc.oneof(fc.constantFrom('yes', 'MKT', 0), fc.string()),
        amount: fc.oneof(fc.integer({ min: -10, max: 2_000 }), fc.double(), fc.constant(1e300)),
        shares: fc.oneof(fc.double(), fc.integer()),
        min_shares: fc.oneof(fc.double(), fc.integer()),
        probability: fc.oneof(fc.double(), fc.constant(0.5)),
        subsidy: fc.integer(),
        reason: fc.string({ maxLength: 20 }),
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
const idempotencyKey = fc.oneof(
  fc.constant({}),
  fc.string({ maxLength: 300 }).map((key) => ({ 'idempotency-key': key.replace(/[\r\n]/g, '') })),
  fc.constantFrom('a', 'same-key', 'x'.repeat(255)).map((key) => ({ 'idempotency-key': key })),
);
const validators = fc.oneof(
  fc.constant({}),
  fc.constantFrom('*', 'W/"x"', '""', 'garbage').map((tag) => ({ 'if-none-match': tag })),
  fc.constant({ 'if-modified-since': 'Thu, 01 Jan 2099 00:00:00 GMT' }),
);

/** One random request as `app.inject` takes it; `path` is the URL without its query. */
export const fuzzedRequest = fc
  .tuple(fc.constantFrom(...METHODS), randomPath, query, body, fc.boolean(), validators, idempotencyKey)
  .map(([method, path, search, payload, withKey, conditional, idempotency]) => ({
    method,
    path,
    url: search ? `${path}?${search}` : path,
    headers: {
      ...conditional,
      ...idempotency,
      ...(withKey ? { authorization: `Bearer ${TRADER_KEY}` } : {}),
      ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
    } as Record<string, string>,
    ...(payload !== undefined && method !== 'GET' && method !== 'HEAD' ? { payload } : {}),
  }));
