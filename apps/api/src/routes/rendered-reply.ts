import type { FastifyReply, FastifyRequest } from 'fastify';
import { matchesIfNoneMatch } from '../http/etag.js';
import type { RenderedBody } from '../http/response-cache.js';

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
