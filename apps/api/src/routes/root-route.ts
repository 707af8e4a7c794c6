import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { API_VERSION } from '../plugins/openapi.js';
import { RootJson } from '../schemas/legacy-schemas.js';

const ENDPOINTS = [
  'GET /api/coach-plans/?coach=<coach>&date=YYYY-MM-DD',
  'GET /api/coach-plans/all?date=YYYY-MM-DD',
  'GET /api/coach-plans/history?coach=<coach>&date=YYYY-MM-DD',
  'GET /health',
  'GET /metrics',
  'GET /api/v1/plans',
  'GET /api/v1/plans/{id}',
  'GET /api/v1/plans/{id}/history',
  'GET /api/v1/coaches',
  'GET /api/v1/coaches/{coach}/plans/{date}',
  'POST /api/v1/plans',
  'PATCH /api/v1/plans/{id}',
  'DELETE /api/v1/plans/{id}',
  'GET /api/v1/events',
  'GET /api/v1/charts/{id}',
  'GET /api/v1/charts/by-hash/{sha256}',
  'GET /openapi.json',
  'GET /docs',
];

/** `GET /`: what this service is and where to start. */
export const rootRoute: FastifyPluginAsyncTypebox = async (app) => {
  const body = { name: 'Coachwire API', version: API_VERSION, endpoints: ENDPOINTS };
  app.get(
    '/',
    {
      schema: { tags: ['legacy'], summary: 'Name, version and endpoint list', response: { 200: RootJson } },
    },
    async () => body,
  );
};
