import type { CoachwireConfig } from '@coachwire/config';
import { RateLimitedError } from '@coachwire/core';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import underPressure from '@fastify/under-pressure';
import type { FastifyInstance, FastifyRequest } from 'fastify';

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

/** CORS: reads from `cors.origins` (default any), writes only from `cors.write_origins` and never `*`. */
export async function registerCors(app: FastifyInstance, config: CoachwireConfig): Promise<void> {
  const readOrigins = config.cors.origins.includes('*') ? '*' : [...config.cors.origins];
  const writeOrigins = config.cors.write_origins.filter((origin) => origin !== '*');
  const base = { methods: ALL_METHODS, allowedHeaders: ALLOWED_HEADERS, exposedHeaders: EXPOSED_HEADERS };
  // Built once: the delegator runs on every request and must not allocate.
  const readOptions = { ...base, origin: readOrigins };
  const writeOptions = { ...base, origin: writeOrigins.length > 0 ? writeOrigins : false };
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

/** Per client address, or per API key when a valid one is presented; 429 with Retry-After in the usual shape. */
export async function registerRateLimit(app: FastifyInstance, config: CoachwireConfig): Promise<void> {
  const perIp = config.rate_limits.api_per_ip;
  const perKey = config.rate_limits.api_per_key;
  const keyOf = (request: FastifyRequest) =>
    request.credential.kind === 'key' ? `key:${request.credential.name}` : `ip:${request.ip}`;
  const hasKeys = config.api.keys.length > 0;
  await app.register(rateLimit, {
    global: true,
    keyGenerator: keyOf,
    // Functions only when keys exist: a numeric limit keeps the common path free of extra awaits.
    max: hasKeys
      ? (request: FastifyRequest) => (request.credential.kind === 'key' ? perKey.max : perIp.max)
      : perIp.max,
    timeWindow: hasKeys
      ? (request: FastifyRequest) =>
          (request.credential.kind === 'key' ? perKey.window_seconds : perIp.window_seconds) * 1000
      : perIp.window_seconds * 1000,
    errorResponseBuilder: (_request, context) =>
      new RateLimitedError(
        `Too many requests: at most ${context.max} per window. Retry in ${context.after}.`,
        context.ttl,
      ),
  });
}

/** Answers 503 instead of queueing forever when the event loop is saturated. */
export async function registerUnderPressure(app: FastifyInstance): Promise<void> {
  await app.register(underPressure, { maxEventLoopDelay: 2000, retryAfter: 5 });
}
