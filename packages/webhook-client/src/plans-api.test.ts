import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, type CoachwireClient, createClient, type Plan } from './index.js';
import {
  type FakeApi,
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

function plan(id: number, coach = 'd', date = '2026-11-20'): Plan {
  return {
    id,
    coach,
    coach_name: `coach_${coach}`,
    trading_date: date,
    text: `plan ${id}`,
    author: { id: '123', name: 'alice' },
    guild_id: '1',
    channel: { id: '2', name: 'plans' },
    source_message_id: '3',
    charts: [],
    created_at: '2026-11-20T08:00:00Z',
    edited_at: null,
    deleted_at: null,
  };
}

describe('v1 API', () => {
  it('walks every page of listPlans following next_cursor', async () => {
    api = await startFakeApi((request, response) => {
      const cursor = queryOf(request).get('cursor');
      if (cursor === null) return sendJson(response, 200, { data: [plan(1), plan(2)], next_cursor: 'c2' });
      sendJson(response, 200, { data: [plan(3)], next_cursor: null });
    });
    client = createClient({ baseUrl: api.baseUrl });

    const ids: number[] = [];
    for await (const page of client.listPlans({ coach: 'coach_d', limit: 2 }))
      ids.push(...page.data.map((p) => p.id));

    expect(ids).toEqual([1, 2, 3]);
    expect(api.requests.map((request) => request.url)).toEqual([
      '/api/v1/plans?coach=d&limit=2',
      '/api/v1/plans?coach=d&limit=2&cursor=c2',
    ]);
  });

  it('reads a plan, a coach plan, history and coaches', async () => {
    api = await startFakeApi((request, response) => {
      if (request.url === '/api/v1/plans/7') return sendJson(response, 200, plan(7));
      if (request.url === '/api/v1/plans/7/history')
        return sendJson(response, 200, { data: [{ id: 1, plan_id: 7 }] });
      if (request.url === '/api/v1/coaches')
        return sendJson(response, 200, { data: [{ id: 'd', name: 'coach_d' }] });
      sendError(response, 404, 'NOT_FOUND', 'No plan for coach_i on 2026-11-20');
    });
    client = createClient({ baseUrl: api.baseUrl });

    expect((await client.getPlan(7)).id).toBe(7);
    expect((await client.getHistory(7)).data[0]?.plan_id).toBe(7);
    expect((await client.listCoaches()).data).toEqual([{ id: 'd', name: 'coach_d' }]);
    const missing = await client.getCoachPlan('I', '2026-11-20').catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(ApiError);
    expect(missing).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect(api.requests.at(-1)?.url).toBe('/api/v1/coaches/i/plans/2026-11-20');
  });

  it('revalidates a v1 read with the last ETag and returns the kept body on 304', async () => {
    api = await startFakeApi((request, response) => {
      if (request.headers['if-none-match'] === '"p7"') {
        response.writeHead(304);
        response.end();
        return;
      }
      sendJson(response, 200, plan(7), { etag: '"p7"' });
    });
    client = createClient({ baseUrl: api.baseUrl });

    const first = await client.getPlan(7);
    const second = await client.getPlan(7);

    expect(second).toBe(first);
    expect(api.requests.map((request) => request.headers['if-none-match'])).toEqual([undefined, '"p7"']);
    expect(client.getMetrics().revalidations).toBe(1);
  });

  it('reports health for both healthy and unhealthy answers', async () => {
    let healthy = true;
    api = await startFakeApi((request, response) => {
      if (request.url === '/metrics') {
        return sendJson(response, 200, {
          timestamp: 't',
          uptime_seconds: 5,
          requests: { total: 1 },
          database: {},
        });
      }
      sendJson(response, healthy ? 200 : 503, {
        status: healthy ? 'healthy' : 'unhealthy',
        timestamp: 't',
        components: { database: { status: 'ok', plan_count: 3 }, discord_bot: { status: 'ok' } },
      });
    });
    client = createClient({ baseUrl: api.baseUrl, retries: 3 });

    expect((await client.checkHealth()).status).toBe('healthy');
    healthy = false;
    expect((await client.checkHealth()).status).toBe('unhealthy');
    expect((await client.getServerMetrics()).uptime_seconds).toBe(5);
    expect(api.requests.length).toBe(3);
  });

  it('sends writes with the bearer key and drops the cached legacy plan they change', async () => {
    let text = 'before';
    api = await startFakeApi((request, response) => {
      if (request.url.startsWith('/api/coach-plans/'))
        return sendJson(response, 200, { plan: text, charts: [] });
      if (request.method === 'PATCH') {
        text = (JSON.parse(request.body) as { text: string }).text;
        return sendJson(response, 200, { ...plan(7), text });
      }
      if (request.method === 'DELETE') {
        response.writeHead(204);
        response.end();
        return;
      }
      sendJson(response, 201, plan(8));
    });
    client = createClient({ baseUrl: api.baseUrl, apiKey: 'secret-key' });
    await client.fetchCoachPlan('d', '2026-11-20');

    const updated = await client.updatePlan(7, { text: 'after' });
    expect(updated.text).toBe('after');
    expect((await client.fetchCoachPlan('d', '2026-11-20')).plan).toBe('after');
    expect((await client.createPlan({ coach: 'd', text: 'new', trading_date: '2026-11-21' })).id).toBe(8);
    await client.deletePlan(8);

    const writes = api.requests.filter((request) => request.method !== 'GET');
    expect(writes.map((request) => [request.method, request.url, request.headers.authorization])).toEqual([
      ['PATCH', '/api/v1/plans/7', 'Bearer secret-key'],
      ['POST', '/api/v1/plans', 'Bearer secret-key'],
      ['DELETE', '/api/v1/plans/8', 'Bearer secret-key'],
    ]);
  });

  it("gives an error the API's sentence, not its status text", async () => {
    // /api/v1 answers `error` with the status text and `message` with what went wrong.
    api = await startFakeApi((_request, response) =>
      sendJson(response, 404, {
        error: 'Not Found',
        message: 'No plan with id 99.',
        code: 'NOT_FOUND',
        request_id: 'req-404',
      }),
    );
    client = createClient({ baseUrl: api.baseUrl });

    const failure = await client.getPlan(99).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 404, code: 'NOT_FOUND', message: 'No plan with id 99.' });
  });

  it('refuses writes without an apiKey before calling the API', async () => {
    api = await startFakeApi((_request, response) => sendJson(response, 201, plan(1)));
    client = createClient({ baseUrl: api.baseUrl });

    await expect(client.createPlan({ coach: 'd', text: 't' })).rejects.toMatchObject({
      code: 'CONFIGURATION',
    });
    expect(api.requests.length).toBe(0);
  });

  it('never writes the apiKey into logs or errors', async () => {
    const apiKey = 'sk-coachwire-very-secret';
    const lines: string[] = [];
    const record = (obj: object, msg?: string) => lines.push(JSON.stringify(obj) + (msg ?? ''));
    let status = 401;
    api = await startFakeApi((_request, response) => sendError(response, status, 'FORBIDDEN', 'bad key'));
    client = createClient({
      baseUrl: api.baseUrl,
      apiKey,
      retries: 2,
      retry: { baseDelayMs: 1, maxDelayMs: 1 },
      circuitBreaker: { failureThreshold: 2, cooldownMs: 60_000 },
      logger: { debug: record, info: record, warn: record, error: record },
    });

    const errors: unknown[] = [];
    errors.push(await client.createPlan({ coach: 'd', text: 't' }).catch((error: unknown) => error));
    status = 500;
    errors.push(await client.updatePlan(1, { text: 't' }).catch((error: unknown) => error));
    errors.push(await client.getPlan(1).catch((error: unknown) => error));
    await client.fetchCoachPlan('d');

    expect(api.requests.some((request) => request.headers.authorization === `Bearer ${apiKey}`)).toBe(true);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).not.toContain(apiKey);
    for (const error of errors) {
      expect(error).toBeInstanceOf(Error);
      expect(
        JSON.stringify({
          ...(error as object),
          message: (error as Error).message,
          stack: (error as Error).stack,
        }),
      ).not.toContain(apiKey);
    }
  });
});
