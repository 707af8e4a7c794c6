import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, createApiFixture, DISCORD_ALICE } from './test-support/api-fixture.js';
import { expectErrorShape } from './test-support/error-shape.js';
import { fuzzedRequest } from './test-support/fuzz-requests.js';

describe('fuzzing the API with random requests', () => {
  let fixture: ApiFixture;
  beforeAll(async () => {
    fixture = await createApiFixture({
      overrides: { rate_limits: { api_per_ip: { max: 1_000_000, window_seconds: 60 } } },
    });
    await fixture.bot.plans.post(DISCORD_ALICE, { coach: 'd', text: 'seed plan' });
    // A market to trade on, resolve and cancel (ids 1 and 2).
    for (const mechanism of ['cpmm', 'pool'] as const) {
      await fixture.coachwire.services.markets.create(
        DISCORD_ALICE,
        { guildId: '900000000000000001', idempotencyKey: `seed-${mechanism}` },
        { question: 'Seed?', mechanism, closesAt: '2026-11-21T21:00:00Z' },
      );
    }
  });
  afterAll(async () => {
    await fixture.close();
  });

  it('never answers 5xx and always answers errors in the JSON error shape', async () => {
    await fc.assert(
      fc.asyncProperty(fuzzedRequest, async ({ path, ...request }) => {
        const response = await fixture.app.inject(request);
        const label = `${request.method} ${request.url}`;
        expect(response.statusCode, label).toBeLessThan(500);
        if (response.statusCode >= 400 && request.method !== 'HEAD')
          expectErrorShape(label, response.statusCode, response.headers, response.body, path);
      }),
      { numRuns: 3000 },
    );
    expect((await fixture.coachwire.store.checkLedger()).violations).toStrictEqual([]);
  }, 120_000);
});
