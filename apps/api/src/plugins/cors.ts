import type { CoachwireConfig } from '@coachwire/config';
import cors, { type FastifyCorsOptions } from '@fastify/cors';
import type { FastifyInstance } from 'fastify';

const READ_METHODS = new Set(['GET', 'HEAD']);
const ALL_METHODS = ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE', 'OPTIONS'];
const ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'If-None-Match', 'Last-Event-ID', 'X-Request-Id'];
const EXPOSED_HEADERS = [
  'ETag',
  'X-Request-Id',
  'Retry-After',
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
];

/**
 * CORS by @fastify/cors: reads from `cors.origins` (default any), writes only from `cors.write_origins`
 * and never `*`. The delegator picks the options by the method a request (or a preflight) is for; being
 * per request, it also makes the plugin send `Vary: Origin`, so caches key on the origin.
 *
 * Cost, measured for issue 12: the plugin re-normalizes a delegator's options on every request, which makes
 * this about 11 µs of CPU per request dearer than static options (legacy plan GET: 55 → 44 µs, bare
 * Fastify 20 µs; `bench/api.bench.mjs`, `bench/components.bench.mjs`). Static options cannot replace it:
 * a preflight's answer depends on the method it asks for (a read preflight from any origin is allowed, a
 * write preflight only from `write_origins`, with no CORS headers at all otherwise), and only a delegator
 * sees the request. Even with no write origins configured, http-behaviour.test.ts asserts exactly that.
 */
export async function registerCors(app: FastifyInstance, config: CoachwireConfig): Promise<void> {
  const readOrigins = config.cors.origins.includes('*') ? '*' : [...config.cors.origins];
  const writeOrigins = config.cors.write_origins.filter((origin) => origin !== '*');
  const base = { methods: ALL_METHODS, allowedHeaders: ALLOWED_HEADERS, exposedHeaders: EXPOSED_HEADERS };
  // Built once: the delegator runs on every request.
  const readOptions: FastifyCorsOptions = { ...base, origin: readOrigins };
  const writeOptions: FastifyCorsOptions = {
    ...base,
    origin: writeOrigins.length > 0 ? writeOrigins : false,
  };
  await app.register(cors, {
    delegator: (request, callback) => {
      const preflightMethod = request.headers['access-control-request-method'];
      const method =
        request.method === 'OPTIONS' && typeof preflightMethod === 'string'
          ? preflightMethod
          : request.method;
      callback(null, READ_METHODS.has(method.toUpperCase()) ? readOptions : writeOptions);
    },
  });
}
