import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { API_VERSION } from '../plugins/openapi.js';
import { RootJson } from '../schemas/legacy-schemas.js';

/** The routes that serve the OpenAPI document, which leaves them out of itself. */
const DOCUMENTATION_ENDPOINTS = ['GET /openapi.json', 'GET /docs'];

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/** The little of an OpenAPI document the list reads. */
interface OpenApiPaths {
  readonly paths?: Record<
    string,
    Record<string, { tags?: string[]; parameters?: { name: string; in: string }[] } | undefined>
  >;
}

/**
 * The API's endpoints, as `METHOD /path` in registration order: every operation of its OpenAPI document (so a new
 * route is listed as soon as it is registered with a schema) and the documentation routes, without `GET /` itself
 * and without the routes the document hides (the dashboard under /app/, CORS preflights, HEAD of the event stream).
 * Legacy routes take everything in their query, so their entries show it as the old API's list did
 * (`?coach=<coach>&date=YYYY-MM-DD`); v1's query parameters are optional filters, described in /docs.
 */
function listEndpoints(app: FastifyInstance): string[] {
  const document = app.swagger() as unknown as OpenApiPaths;
  const endpoints: string[] = [];
  for (const [path, operations] of Object.entries(document.paths ?? {}))
    for (const [method, operation] of Object.entries(operations)) {
      if (!HTTP_METHODS.has(method) || operation === undefined) continue;
      const endpoint = `${method.toUpperCase()} ${path}`;
      if (endpoint === 'GET /') continue;
      const query = operation.tags?.includes('legacy')
        ? (operation.parameters ?? [])
            .filter((parameter) => parameter.in === 'query')
            .map(({ name }) => `${name}=${name === 'date' ? 'YYYY-MM-DD' : `<${name}>`}`)
        : [];
      endpoints.push(query.length > 0 ? `${endpoint}?${query.join('&')}` : endpoint);
    }
  return [...endpoints, ...DOCUMENTATION_ENDPOINTS];
}

/** `GET /`: what this service is and where to start. */
export const rootRoute: FastifyPluginAsyncTypebox = async (app) => {
  // Built at the first request, once every route is registered; routes cannot be added after start-up.
  let body: Static<typeof RootJson> | undefined;
  app.get(
    '/',
    {
      schema: { tags: ['legacy'], summary: 'Name, version and endpoint list', response: { 200: RootJson } },
    },
    async () => {
      body ??= { name: 'Coachwire API', version: API_VERSION, endpoints: listEndpoints(app) };
      return body;
    },
  );
};
