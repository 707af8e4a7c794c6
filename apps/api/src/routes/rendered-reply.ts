import type { FastifyReply, FastifyRequest } from 'fastify';
import { matchesIfNoneMatch } from '../http/etag.js';
import type { RenderedBody, ResponseCache } from '../http/response-cache.js';

/** Sends an already serialized JSON body with its ETag, or an empty 304 when the client has it. */
export function sendRendered(
  request: FastifyRequest,
  reply: FastifyReply,
  rendered: RenderedBody,
): FastifyReply {
  reply.header('etag', rendered.etag);
  if (matchesIfNoneMatch(request.headers['if-none-match'], rendered.etag)) return reply.code(304).send();
  return reply.type('application/json; charset=utf-8').send(rendered.body);
}

/**
 * Answers a read from `cache` when its body for `key` (at `version`, if given) is there; else produces the
 * answer, serializes it with the route's schema and keeps it. Errors thrown by `produce` are never cached.
 */
export async function sendCached(
  request: FastifyRequest,
  reply: FastifyReply,
  cache: ResponseCache,
  key: string,
  produce: () => Promise<unknown>,
  version?: number,
): Promise<FastifyReply> {
  const hit = cache.get(key, version);
  if (hit) return sendRendered(request, reply, hit);
  const generation = cache.generation;
  const body = reply.serialize(await produce()) as string;
  return sendRendered(request, reply, cache.set(key, body, generation, version));
}
