import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';

const errorRef = Type.Ref('ErrorResponse');

/** The empty answer to a matching If-None-Match (`type: null`: the document gives it no body). */
export const notModifiedResponse = Type.Null({
  description: 'Not modified: the `If-None-Match` ETag still matches.',
});

/**
 * Adds to each route's documented responses the statuses that hooks shared by many routes answer, so that
 * the OpenAPI document (and clients generated from it) lists every status a route can give: 304 where
 * `config.etag` or the handler (`config.handlerEtag`) revalidates, 401 on every route not marked `config.public` (any read once
 * `api.require_key_for_reads` is on), and 413 (body over the limit) and 415 (not JSON) on routes that take
 * a body. A route's own entry for a status wins. Register before the routes and before @fastify/swagger.
 */
export function registerDocumentedResponses(app: FastifyInstance): void {
  app.addHook('onRoute', (routeOptions) => {
    const schema = routeOptions.schema;
    const response = schema?.response as Record<string, unknown> | undefined;
    if (schema === undefined || response === undefined || schema.hide === true) return;
    const added: Record<string, unknown> = {};
    if (routeOptions.config?.etag === true || routeOptions.config?.handlerEtag === true) {
      added[304] = notModifiedResponse;
    }
    if (routeOptions.config?.public !== true) added[401] = errorRef;
    if (schema.body !== undefined) {
      added[413] = errorRef;
      added[415] = errorRef;
    }
    // Status keys are integer-like, so the merged object (and the document) still lists them in order.
    routeOptions.schema = { ...schema, response: { ...added, ...response } };
  });
}
