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

interface DocumentedResponse {
  headers?: Record<string, { description: string; required?: boolean; schema: object }>;
}
interface DocumentedOperation {
  parameters?: { in: string; name: string }[];
  responses?: Record<string, DocumentedResponse>;
}

const ETAG = {
  description: 'Send it back as `If-None-Match` to get an empty 304 while the answer is unchanged.',
  required: true,
  schema: { type: 'string' },
};
const RETRY_AFTER = {
  description: 'Seconds to wait before trying again.',
  required: true,
  schema: { type: 'string' },
};
const REPLAYABLE = /^(2\d\d|403|404|409)$/;
const IDEMPOTENT_REPLAYED = {
  description: '`true` when this is the stored answer to an earlier request with the same Idempotency-Key.',
  schema: { type: 'string', enum: ['true'] },
};

const LOCATION = {
  description: 'Where the created resource is read: the path of its `GET`.',
  required: true,
  schema: { type: 'string' },
};

/**
 * The response headers that the API's shared hooks send, added to the OpenAPI document (@fastify/swagger's
 * `transformObject`): `ETag` on the 200, 304 (and a chart's 206) of every route that revalidates, `Retry-After` on
 * every 429 (and 503), `Idempotent-Replayed` on the answers of writes that take an `Idempotency-Key`, and
 * `Location` on the 201 of a `POST` to a collection whose members are read at `{collection}/{id}`.
 */
export function documentResponseHeaders<T extends object>(document: T): T {
  const paths = (document as { paths?: Record<string, Record<string, DocumentedOperation>> }).paths ?? {};
  for (const [path, operations] of Object.entries(paths)) {
    const createsMember = paths[`${path}/{id}`]?.get !== undefined;
    for (const [method, operation] of Object.entries(operations)) {
      const responses = operation.responses ?? {};
      const idempotent = operation.parameters?.some(
        (parameter) => parameter.in === 'header' && parameter.name.toLowerCase() === 'idempotency-key',
      );
      for (const [status, response] of Object.entries(responses)) {
        const headers: NonNullable<DocumentedResponse['headers']> = {};
        if (responses[304] !== undefined && ['200', '206', '304'].includes(status)) headers.ETag = ETAG;
        if (status === '429') headers['Retry-After'] = RETRY_AFTER;
        // Every error 503 says when to try again; /health's 503 is a report, not a refusal.
        if (status === '503') headers['Retry-After'] = { ...RETRY_AFTER, required: false };
        // Only what the request met once it ran is stored: a success, or a refusal (403, 404, 409).
        if (idempotent && REPLAYABLE.test(status)) headers['Idempotent-Replayed'] = IDEMPOTENT_REPLAYED;
        if (method === 'post' && status === '201' && createsMember) headers.Location = LOCATION;
        if (Object.keys(headers).length > 0) response.headers = { ...response.headers, ...headers };
      }
    }
  }
  return document;
}
