import { afterEach, describe, expect, it } from 'vitest';
import { type CoachwireClient, createClient } from './index.js';
import {
  type FakeApi,
  legacyPlan,
  manualClock,
  noPlan,
  queryOf,
  sendError,
  sendJson,
  startFakeApi,
} from './test-support/fake-coachwire-api.js';

let api: FakeApi | undefined;
let client: CoachwireClient | undefined;
afterEach(async () => {
  await client?.close();
  await api?.close();
  client = undefined;
  api = undefined;
});

const fast = { retries: 0, retry: { baseDelayMs: 1, maxDelayMs: 2 } };

describe('legacy plan cache', () => {
  it('serves a second call from cache and refetches after the TTL', async () => {
    api = await startFakeApi((request, response) =>
      sendJson(response, 200, legacyPlan(`plan ${queryOf(request).get('coach')}`)),
    );
    const clock = manualClock();
    client = createClient({ baseUrl: api.baseUrl, clock, cache: { ttlSeconds: 60 }, ...fast });

    const first = await client.fetchCoachPlan('d', '2026-11-20');
    const second = await client.fetchCoachPlan('d', '2026-11-20');
    expect(second).toBe(first);
    expect(api.count('/api/coach-plans/')).toBe(1);

    clock.advance(60_001);
    await client.fetchCoachPlan('d', '2026-11-20');
    expect(api.count('/api/coach-plans/')).toBe(2);
    expect(client.getMetrics()).toMatchObject({ cacheHits: 1, cacheMisses: 2 });
  });

  it("revalidates a dateless (server's today) answer after a minute, whatever the TTL, as midnight may pass", async () => {
    api = await startFakeApi((_request, response) => sendJson(response, 200, legacyPlan('today')));
    const clock = manualClock();
    client = createClient({ baseUrl: api.baseUrl, clock, cache: { ttlSeconds: 3600 }, ...fast });
    await client.fetchCoachPlan('d');
    await client.fetchCoachPlan('d');
    await client.fetchCoachPlan('d', '2026-11-20');
    expect(api.count('/api/coach-plans/')).toBe(2);
    clock.advance(60_001);
    await client.fetchCoachPlan('d');
    await client.fetchCoachPlan('d', '2026-11-20');
    expect(api.count('/api/coach-plans/')).toBe(3);
  });

  it('evicts the least recently used entry at the bound', async () => {
    api = await startFakeApi((_request, response) => sendJson(response, 200, legacyPlan('x')));
    client = createClient({ baseUrl: api.baseUrl, cache: { maxEntries: 2 }, ...fast });

    await client.fetchCoachPlan('d', '2026-11-18');
    await client.fetchCoachPlan('d', '2026-11-19');
    await client.fetchCoachPlan('d', '2026-11-18'); // 18 is now the most recently used
    await client.fetchCoachPlan('d', '2026-11-20'); // evicts 19
    expect(client.getMetrics().cacheSize).toBe(2);
    const before = api.requests.length;

    await client.fetchCoachPlan('d', '2026-11-18');
    expect(api.requests.length).toBe(before);
    await client.fetchCoachPlan('d', '2026-11-19');
    expect(api.requests.length).toBe(before + 1);
  });

  it('keeps a "No plan available" answer only for the negative TTL while a real plan stays', async () => {
    api = await startFakeApi((request, response) => {
      const coach = queryOf(request).get('coach')!;
      sendJson(response, 200, coach === 'i' ? noPlan('i', '2026-11-20') : legacyPlan('real'));
    });
    const clock = manualClock();
    client = createClient({
      baseUrl: api.baseUrl,
      clock,
      cache: { ttlSeconds: 3600, negativeTtlSeconds: 30 },
      ...fast,
    });

    const empty = await client.fetchCoachPlan('i', '2026-11-20');
    expect(empty.plan).toBe('No plan available for coach_i on 2026-11-20');
    await client.fetchCoachPlan('d', '2026-11-20');
    clock.advance(31_000);

    await client.fetchCoachPlan('i', '2026-11-20');
    await client.fetchCoachPlan('d', '2026-11-20');
    expect(api.requests.map((request) => queryOf(request).get('coach'))).toEqual(['i', 'd', 'i']);
  });

  it('revalidates an expired entry with If-None-Match and serves the kept body on 304', async () => {
    api = await startFakeApi((request, response) => {
      if (request.headers['if-none-match'] === '"v1"') {
        response.writeHead(304, { etag: '"v1"' });
        response.end();
        return;
      }
      sendJson(response, 200, legacyPlan('kept'), { etag: '"v1"' });
    });
    const clock = manualClock();
    client = createClient({ baseUrl: api.baseUrl, clock, cache: { ttlSeconds: 10 }, ...fast });

    const first = await client.fetchCoachPlan('d', '2026-11-20');
    clock.advance(11_000);
    const revalidated = await client.fetchCoachPlan('d', '2026-11-20');

    expect(api.requests[1]!.headers['if-none-match']).toBe('"v1"');
    expect(revalidated).toEqual(first);
    expect(revalidated.plan).toBe('kept');
    expect(client.getMetrics()).toMatchObject({ revalidations: 1, cacheHits: 1, cacheMisses: 1 });
    // The 304 renewed the TTL: no third request.
    await client.fetchCoachPlan('d', '2026-11-20');
    expect(api.requests.length).toBe(2);
  });

  it('serves a stale entry when the API fails instead of the fallback', async () => {
    let failing = false;
    api = await startFakeApi((_request, response) =>
      failing
        ? sendError(response, 503, 'STORAGE_UNAVAILABLE', 'down')
        : sendJson(response, 200, legacyPlan('old')),
    );
    const clock = manualClock();
    client = createClient({ baseUrl: api.baseUrl, clock, cache: { ttlSeconds: 10 }, ...fast });

    await client.fetchCoachPlan('D', '2026-11-20');
    failing = true;
    clock.advance(11_000);
    const stale = await client.fetchCoachPlan('coach_d', '2026-11-20');

    expect(stale.plan).toBe('old');
    expect(stale.error).toBeUndefined();
    expect(client.getMetrics().staleServed).toBe(1);
    expect(api.requests.length).toBe(2);
  });

  it('shares one request between 100 concurrent calls for the same plan', async () => {
    api = await startFakeApi(async (_request, response) => {
      await new Promise((resolve) => setImmediate(resolve));
      sendJson(response, 200, legacyPlan('shared'));
    });
    client = createClient({ baseUrl: api.baseUrl, ...fast });

    const plans = await Promise.all(
      Array.from({ length: 100 }, () => client!.fetchCoachPlan('d', '2026-11-20')),
    );

    expect(api.requests.length).toBe(1);
    expect(new Set(plans).size).toBe(1);
    expect(client.getMetrics().coalesced).toBe(99);
  });

  it('caches the all-coaches map and clearCache reports what it dropped', async () => {
    api = await startFakeApi((_request, response) =>
      sendJson(response, 200, { coach_d: legacyPlan('d plan'), coach_s: legacyPlan('s plan') }),
    );
    client = createClient({ baseUrl: api.baseUrl, ...fast });

    const all = await client.fetchAllCoachPlans('2026-11-20');
    await client.fetchAllCoachPlans('2026-11-20');
    await client.fetchCoachPlan('d');

    expect(Object.keys(all)).toEqual(['coach_d', 'coach_s']);
    expect(api.count('/api/coach-plans/all?date=2026-11-20')).toBe(1);
    expect(queryOf(api.requests[1]!).has('date')).toBe(false);
    expect(client.clearCache()).toBe(2);
    await client.fetchAllCoachPlans('2026-11-20');
    expect(api.count('/api/coach-plans/all')).toBe(2);
  });

  it('counts every outcome in the metrics', async () => {
    let status = 200;
    api = await startFakeApi((request, response) => {
      if (status !== 200) return sendError(response, status, 'STORAGE_UNAVAILABLE', 'down');
      sendJson(response, 200, legacyPlan(queryOf(request).get('coach')!));
    });
    client = createClient({
      baseUrl: api.baseUrl,
      cache: { ttlSeconds: 60, maxEntries: 5 },
      ...fast,
      retries: 1,
    });

    await client.fetchCoachPlan('d', '2026-11-20'); // miss, success
    await client.fetchCoachPlan('d', '2026-11-20'); // hit
    await Promise.all([client.fetchCoachPlan('s', '2026-11-20'), client.fetchCoachPlan('s', '2026-11-20')]);
    status = 500;
    await client.fetchCoachPlan('n', '2026-11-20'); // miss, 1 retry, error, fallback

    expect(client.getMetrics()).toEqual({
      requests: 5,
      cacheHits: 1,
      cacheMisses: 3,
      cacheHitRate: 0.25,
      revalidations: 0,
      staleServed: 0,
      coalesced: 1,
      apiSuccesses: 2,
      apiErrors: 1,
      apiRetries: 1,
      circuitState: 'closed',
      cacheSize: 2,
      cacheMaxEntries: 5,
      cacheTtlSeconds: 60,
    });
  });
});
