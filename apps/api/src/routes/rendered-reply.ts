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

/** A route's answer and the moment (epoch ms) the clock alone changes it, if it ever does. */
export interface ExpiringAnswer {
  readonly json: unknown;
  readonly until: number | undefined;
}

/**
 * Answers a read from `cache` when its body for `key` (at `version`, if given) is there; else produces the
 * answer, serializes it with the route's schema and keeps it. Errors thrown by `produce` are never cached.
 */
export function sendCached(
  request: FastifyRequest,
  reply: FastifyReply,
  cache: ResponseCache,
  key: string,
  produce: () => Promise<unknown>,
  version?: number,
): Promise<FastifyReply> {
  const timeless = async (): Promise<ExpiringAnswer> => ({ json: await produce(), until: undefined });
  return sendCachedUntil(request, reply, cache, key, timeless, version);
}

/** As sendCached, for an answer that the clock changes: it is never served from the cache past its `until`. */
export async function sendCachedUntil(
  request: FastifyRequest,
  reply: FastifyReply,
  cache: ResponseCache,
  key: string,
  produce: () => Promise<ExpiringAnswer>,
  version?: number,
): Promise<FastifyReply> {
  const hit = cache.get(key, version);
  if (hit) return sendRendered(request, reply, hit);
  const generation = cache.generation;
  const answer = await produce();
  const body = reply.serialize(answer.json) as string;
  return sendRendered(request, reply, cache.set(key, body, generation, version, answer.until));
}
