import type { FastifyRequest } from 'fastify';

/**
 * Whom a request counts against, for rate limits and stream slots: its API key when it presents a valid one,
 * else its client address (the proxy's, unless `api.trust_proxy` is on).
 */
export function clientKeyOf(request: FastifyRequest): string {
  return request.credential.kind === 'key' ? `key:${request.credential.name}` : `ip:${request.ip}`;
}
