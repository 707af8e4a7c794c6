import type { CoachwireConfig } from '@coachwire/config';
import { RateLimitedError } from '@coachwire/core';
import rateLimit from '@fastify/rate-limit';
import underPressure from '@fastify/under-pressure';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { clientKeyOf } from '../http/client-key.js';

/** Per client address, or per API key when a valid one is presented; 429 with Retry-After in the usual shape. */
export async function registerRateLimit(app: FastifyInstance, config: CoachwireConfig): Promise<void> {
  const perIp = config.rate_limits.api_per_ip;
  const perKey = config.rate_limits.api_per_key;
  const hasKeys = config.api.keys.length > 0;
  await app.register(rateLimit, {
    global: true,
    keyGenerator: clientKeyOf,
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
export async function registerUnderPressure(app: FastifyInstance, config: CoachwireConfig): Promise<void> {
  // 0 disables the check (under-pressure ignores a zero threshold).
  await app.register(underPressure, { maxEventLoopDelay: config.api.max_event_loop_delay_ms, retryAfter: 5 });
}
