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
];
const PARAMS = ['coach', 'date', 'limit', 'cursor', 'from', 'to', 'author_id', 'id', 'text', 'last_event_id'];
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

/** One random request as `app.inject` takes it; `path` is the URL without its query. */
export const fuzzedRequest = fc
  .tuple(fc.constantFrom(...METHODS), randomPath, query, body, fc.boolean(), validators)
  .map(([method, path, search, payload, withKey, conditional]) => ({
    method,
    path,
    url: search ? `${path}?${search}` : path,
    headers: {
      ...conditional,
      ...(withKey ? { authorization: `Bearer ${TRADER_KEY}` } : {}),
      ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
    } as Record<string, string>,
    ...(payload !== undefined && method !== 'GET' && method !== 'HEAD' ? { payload } : {}),
  }));
