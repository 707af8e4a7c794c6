import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, type CoachwireClient, CoachwireClientError, createClient, NetworkError } from './index.js';
import {
  type FakeApi,
  legacyPlan,
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

const invalidCoach = "Invalid coach name 'x'. Valid coaches: d, i, s, n";

/** An address where nothing listens: a server that was started and closed again. */
async function deadBaseUrl(): Promise<string> {
  const dead = await startFakeApi(() => undefined);
  await dead.close();
  return dead.baseUrl;
}

describe('legacy fallbacks', () => {
  it('returns the legacy plan shape unchanged', async () => {
    api = await startFakeApi((_request, response) => sendJson(response, 200, legacyPlan('Long above 5000')));
    client = createClient({ baseUrl: api.baseUrl });

    expect(await client.fetchCoachPlan('d', '2026-11-20')).toEqual(legacyPlan('Long above 5000'));
  });

  it('accepts d, D and coach_d as the same coach', async () => {
    api = await startFakeApi((_request, response) => sendJson(response, 200, legacyPlan('p')));
    client = createClient({ baseUrl: api.baseUrl, cache: false });

    for (const coach of ['d', 'D', 'coach_d', 'COACH_D']) await client.fetchCoachPlan(coach, '2026-11-20');
    expect(api.requests.map((request) => queryOf(request).get('coach'))).toEqual(['d', 'd', 'd', 'd']);
  });

  it('resolves to the old error shape when the API rejects the coach', async () => {
    api = await startFakeApi((_request, response) => sendError(response, 400, 'VALIDATION', invalidCoach));
    client = createClient({ baseUrl: api.baseUrl });

    expect(await client.fetchCoachPlan('x')).toEqual({
      plan: `Error fetching plan for coach x: ${invalidCoach}`,
      charts: [],
      error: invalidCoach,
    });
  });

  it('resolves to the old error shape and {} when the API is unreachable', async () => {
    client = createClient({ baseUrl: await deadBaseUrl(), retries: 0 });

    const plan = await client.fetchCoachPlan('d', '2026-11-20');
    expect(Object.keys(plan)).toEqual(['plan', 'charts', 'error']);
    expect(plan.plan).toBe(`Error fetching plan for coach d: ${plan.error}`);
    expect(plan.error).toContain('ECONNREFUSED');
    expect(plan.charts).toEqual([]);
    expect(await client.fetchAllCoachPlans('2026-11-20')).toEqual({});
  });

  it('resolves to the fallback for a malformed date without calling the API', async () => {
    api = await startFakeApi((_request, response) => sendJson(response, 200, legacyPlan('p')));
    client = createClient({ baseUrl: api.baseUrl });

    const plan = await client.fetchCoachPlan('d', '20/11/2026');
    expect(plan.error).toContain('expected YYYY-MM-DD');
    expect(api.requests.length).toBe(0);
  });
});

describe('strict mode', () => {
  it('throws an ApiError with the status, code and request id', async () => {
    api = await startFakeApi((_request, response) => sendError(response, 400, 'VALIDATION', invalidCoach));
    client = createClient({ baseUrl: api.baseUrl, strict: true });

    const failure = await client.fetchCoachPlan('x').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toBeInstanceOf(CoachwireClientError);
    expect(failure).toMatchObject({
      status: 400,
      code: 'VALIDATION',
      requestId: 'req-400',
      message: invalidCoach,
    });
  });

  it('throws a NetworkError when nothing listens', async () => {
    client = createClient({ baseUrl: await deadBaseUrl(), retries: 0, strict: true });

    await expect(client.fetchCoachPlan('d')).rejects.toBeInstanceOf(NetworkError);
    await expect(client.fetchAllCoachPlans()).rejects.toBeInstanceOf(NetworkError);
  });

  it('throws for input that cannot be a coach', async () => {
    client = createClient({ baseUrl: 'http://127.0.0.1:9', strict: true });

    await expect(client.fetchCoachPlan('../d')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
