import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { ErrorResponse } from '../schemas/error-schema.js';
import { MarketJson } from '../schemas/market-schemas.js';
import { documentResponseHeaders } from './documented-responses.js';

/** The package version shown in the OpenAPI document and at `/`. */
export const API_VERSION = '1.0.0';

/** OpenAPI from the route schemas; `/openapi.json` and Swagger UI at `/docs` show the same document. */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  app.addSchema(ErrorResponse);
  app.addSchema(MarketJson);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Coachwire API',
        version: API_VERSION,
        description:
          "Coaches' daily trading plans, posted in Discord and served to TradingAgents. Legacy endpoints keep the " +
          'old Flask API shapes; /api/v1 is the versioned REST API. Reads are public unless the deployment ' +
          'requires a key; writes need `Authorization: Bearer <key>`. Request bodies are JSON whose values keep ' +
          'their types: a number sent as a string (`"10"`), a boolean or `null` where the schema wants a number or ' +
          'a string is refused with 400, never read as something else.\n\n' +
          'Every error is JSON `{error, message, code, request_id}` (5xx add `error_id`; validation errors may add ' +
          '`field`). A path the API serves, asked with a method it does not answer, gets 405 `METHOD_NOT_ALLOWED` ' +
          'with an `Allow` header listing the methods it does (HEAD wherever GET is; OPTIONS, answered only as a CORS ' +
          'preflight, is not listed); a path it does not serve gets 404 `NOT_FOUND`. Plan and list answers carry a ' +
          'weak `ETag`: send it back as `If-None-Match` to get an empty ' +
          '304 when nothing changed. Requests are rate limited per client address, or per API key when one is ' +
          'sent (429 with `Retry-After`); the `/health` probes are not. Send `X-Request-Id` (up to 64 of `A-Z a-z 0-9 . _ -`) to trace a ' +
          "request; the id is echoed in the `X-Request-Id` header and in every error. Requests that Node's HTTP " +
          'parser refuses (malformed request line or headers: 400 `BAD_REQUEST`; headers over 16 KiB: 431 ' +
          '`HEADERS_TOO_LARGE`; a request not finished in time: 408 `REQUEST_TIMEOUT`) get the same shape with a new ' +
          'request id, since their headers could not be read, and the connection is closed. Only a connection ' +
          'reset by the client, or a malformed request pipelined behind one whose answer has begun, is closed ' +
          "without an answer. No error message echoes the request's path; one about a path's value (an unknown " +
          'coach, say) quotes that value, at most 200 characters.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'An API key from `api.keys`.' },
        },
      },
      tags: [
        { name: 'legacy', description: 'The old API, shapes kept field for field.' },
        { name: 'plans', description: 'Versioned REST API (/api/v1).' },
        {
          name: 'markets',
          description:
            'Play-money prediction markets: reads are public (unless keys are required for reads); writes need an ' +
            'API key, act for the Discord user in `user_id`, and (all but a quote) need an `Idempotency-Key`. ' +
            'An API key settles with admin rights: `resolve`, `cancel` and `unresolve` work for any `user_id`, not ' +
            "only the market's creator (the creator-or-admin rule applies in Discord), so check who may settle " +
            'before you call them.',
        },
        { name: 'events', description: 'Server-sent plan, market and points events.' },
        { name: 'charts', description: 'Archived chart images with stable URLs (Discord links expire).' },
        { name: 'operations', description: 'Health, metrics and documentation.' },
      ],
    },
    // Always an OpenAPI 3 document here (the `openapi` option above), never a Swagger 2 one.
    transformObject: (documentObject) =>
      'openapiObject' in documentObject
        ? documentResponseHeaders(documentObject.openapiObject)
        : documentObject.swaggerObject,
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, index) =>
        typeof json.$id === 'string' ? json.$id : `def-${index}`,
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
