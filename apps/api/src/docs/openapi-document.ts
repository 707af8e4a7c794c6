import { DEFAULT_CONFIG } from '@coachwire/config';
import { InMemoryPlanRepository } from '@coachwire/core';
import pino from 'pino';
import type { ApiStorage } from '../api-storage.js';
import { buildApp } from '../app.js';

/** The OpenAPI document of the API as the default configuration builds it (no database is touched). */
export async function buildOpenApiDocument(): Promise<Record<string, unknown>> {
  const config = structuredClone(DEFAULT_CONFIG);
  const repository = Object.assign(new InMemoryPlanRepository(), {
    eventsAfter: async () => [],
    latestEventId: async () => 0,
  });
  const storage: ApiStorage = {
    repository,
    readBotStatus: async () => null,
    ping: async () => {},
    countLivePlans: async () => 0,
    pruneEvents: async () => 0,
    charts: { get: async () => null, getByHash: async () => null },
  };
  const app = await buildApp({ config, storage, logger: pino({ level: 'silent' }) });
  try {
    await app.ready();
    return app.swagger() as unknown as Record<string, unknown>;
  } finally {
    await app.close();
  }
}
