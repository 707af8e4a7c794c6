import type { CoachwireConfig } from '@coachwire/config';
import cors from '@fastify/cors';
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
const EXPOSED_HEADERS_VALUE = EXPOSED_HEADERS.join(', ');

/** Which origins a kind of request may come from: any, a list to reflect, or none (no CORS headers). */
type OriginPolicy = '*' | ReadonlySet<string> | false;

/**
 * CORS: reads from `cors.origins` (default any), writes only from `cors.write_origins` and never `*`.
 *
 * Preflights are answered by @fastify/cors with a method-aware delegator. Every other request gets the
 * same headers @fastify/cors would give it (`Vary: Origin`, `Access-Control-Allow-Origin` when allowed,
 * `Access-Control-Expose-Headers`) from one hook with everything precomputed, because the plugin's
 * delegator path copies its options twice per request and was the costliest step of a cached GET.
 */
export async function registerCors(app: FastifyInstance, config: CoachwireConfig): Promise<void> {
  const readOrigins = config.cors.origins.includes('*') ? '*' : [...config.cors.origins];
  const writeOrigins = config.cors.write_origins.filter((origin) => origin !== '*');
  const readPolicy: OriginPolicy = readOrigins === '*' ? '*' : new Set(readOrigins);
  const writePolicy: OriginPolicy = writeOrigins.length > 0 ? new Set(writeOrigins) : false;

  app.addHook('onRequest', (request, reply, done) => {
    const method = request.method;
    if (method === 'OPTIONS') {
      done();
      return;
    }
    // The origin option is per request (reads and writes differ), so caches must key on Origin.
    reply.header('vary', 'Origin');
    const policy = method === 'GET' || method === 'HEAD' ? readPolicy : writePolicy;
    if (policy === false) {
      done();
      return;
    }
    if (policy === '*') {
      reply.header('access-control-allow-origin', '*');
    } else {
      const origin = request.headers.origin;
      if (origin !== undefined && policy.has(origin)) reply.header('access-control-allow-origin', origin);
    }
    reply.header('access-control-expose-headers', EXPOSED_HEADERS_VALUE);
    done();
  });

  const base = { methods: ALL_METHODS, allowedHeaders: ALLOWED_HEADERS, exposedHeaders: EXPOSED_HEADERS };
  const readOptions = { ...base, origin: readOrigins };
  const writeOptions = { ...base, origin: writeOrigins.length > 0 ? writeOrigins : false };
  // An encapsulated scope: @fastify/cors's hook then runs only for the OPTIONS route it adds there.
  await app.register(async (preflightScope) => {
    await preflightScope.register(cors, {
      delegator: (request, callback) => {
        const preflightMethod = request.headers['access-control-request-method'];
        const method = typeof preflightMethod === 'string' ? preflightMethod : request.method;
        callback(null, READ_METHODS.has(method.toUpperCase()) ? readOptions : writeOptions);
      },
    });
  });
}
