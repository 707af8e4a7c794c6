import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderApiReference } from './api-reference.js';
import { buildOpenApiDocument } from './openapi-document.js';

const COMMITTED = fileURLToPath(new URL('../../../../API_REFERENCE.md', import.meta.url));

describe('API_REFERENCE.md', () => {
  it('matches what the route schemas generate (run `pnpm --filter @coachwire/api docs:api` when it does not)', async () => {
    const generated = renderApiReference(await buildOpenApiDocument());
    expect(readFileSync(COMMITTED, 'utf8')).toBe(generated);
  });

  it('documents every endpoint of the API issue', async () => {
    const generated = renderApiReference(await buildOpenApiDocument());
    for (const heading of [
      '`GET /`',
      '`GET /api/coach-plans/`',
      '`GET /api/coach-plans/all`',
      '`GET /api/coach-plans/history`',
      '`GET /health`',
      '`GET /metrics`',
      '`GET /metrics/prometheus`',
      '`GET /health/live`',
      '`GET /health/ready`',
      '`GET /api/v1/plans`',
      '`POST /api/v1/plans`',
      '`GET /api/v1/plans/{id}`',
      '`PATCH /api/v1/plans/{id}`',
      '`DELETE /api/v1/plans/{id}`',
      '`GET /api/v1/plans/{id}/history`',
      '`GET /api/v1/coaches`',
      '`GET /api/v1/coaches/{coach}/plans/{date}`',
      '`GET /api/v1/events`',
    ]) {
      expect(generated).toContain(`### ${heading}\n`);
    }
  });
});
