import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, CircuitOpenError, type CoachwireClient, createClient, TimeoutError } from './index.js';
import {
  deferred,
  type FakeApi,
  legacyPlan,
  manualClock,
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

const tinyDelays = { baseDelayMs: 1, maxDelayMs: 2 };

describe('retries', () => {
  it('retries a GET on 5xx until it succeeds, counting each retry', async () => {
    let attempts = 0;
    api = await startFakeApi((_request, response) => {
      attempts += 1;
      if (attempts < 3) return sendError(response, 502, 'BAD_GATEWAY', 'bad gateway');
      sendJson(response, 200, legacyPlan('third time'));
    });
    client = createClient({ baseUrl: api.baseUrl, retries: 3, retry: tinyDelays });

    const plan = await client.fetchCoachPlan('d', '2026-11-20');

    expect(plan.plan).toBe('third time');
    expect(attempts).toBe(3);
    expect(client.getMetrics()).toMatchObject({ apiRetries: 2, apiSuccesses: 1, apiErrors: 0 });
  });

  it('gives up after the configured number of retries', async () => {
    api = await startFakeApi((_request, response) => sendError(response, 500, 'INTERNAL', 'boom'));
    client = createClient({ baseUrl: api.baseUrl, retries: 2, retry: tinyDelays, strict: true });

    await expect(client.fetchCoachPlan('d', '2026-11-20')).rejects.toMatchObject({ status: 500 });
    expect(api.requests.length).toBe(3);
  });

  it('does not retry a 4xx', async () => {
    api = await startFakeApi((_request, response) => sendError(response, 400, 'VALIDATION', 'bad coach'));
    client = createClient({ baseUrl: api.baseUrl, retries: 3, retry: tinyDelays });

    await client.fetchCoachPlan('x', '2026-11-20');
    expect(api.requests.length).toBe(1);
  });

  it('waits the Retry-After of a 429 before retrying', async () => {
    const logged: Array<{ delayMs?: number }> = [];
    let attempts = 0;
    api = await startFakeApi((_request, response) => {
      attempts += 1;
      if (attempts === 1)
        return sendError(response, 429, 'RATE_LIMITED', 'slow down', { 'retry-after': '0.05' });
      sendJson(response, 200, legacyPlan('after waiting'));
    });
    client = createClient({
      baseUrl: api.baseUrl,
      retries: 3,
      retry: { baseDelayMs: 0, maxDelayMs: 0 },
      logger: { debug: (entry) => logged.push(entry as { delayMs?: number }) },
    });

    const plan = await client.fetchCoachPlan('d', '2026-11-20');

    expect(plan.plan).toBe('after waiting');
    expect(attempts).toBe(2);
    expect(logged[0]?.delayMs).toBe(50);
  });

  it('does not wait for a Retry-After above the cap', async () => {
    api = await startFakeApi((_request, response) =>
      sendError(response, 429, 'RATE_LIMITED', 'slow down', { 'retry-after': '120' }),
    );
    client = createClient({
      baseUrl: api.baseUrl,
      retries: 3,
      retry: { ...tinyDelays, maxRetryAfterMs: 1000 },
      strict: true,
    });

    const failure = await client.fetchCoachPlan('d', '2026-11-20').catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({
      status: 429,
      code: 'RATE_LIMITED',
      retryAfterSeconds: 120,
      requestId: 'req-429',
    });
    expect(api.requests.length).toBe(1);
  });

  it('stops retrying when the total time budget is spent', async () => {
    api = await startFakeApi(() => {
      // Never answers: each attempt can only end by timing out.
    });
    client = createClient({
      baseUrl: api.baseUrl,
      timeoutMs: 10_000,
      retries: 5,
      retry: { ...tinyDelays, totalBudgetMs: 150 },
      strict: true,
    });

    const failure = await client.fetchCoachPlan('d', '2026-11-20').catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(TimeoutError);
    expect((failure as Error).message).toContain('budget');
    expect(api.requests.length).toBe(1);
  });

  it('stops when a Retry-After does not fit in the remaining budget', async () => {
    api = await startFakeApi((_request, response) =>
      sendError(response, 503, 'STORAGE_UNAVAILABLE', 'busy', { 'retry-after': '1' }),
    );
    client = createClient({ baseUrl: api.baseUrl, retries: 5, retry: { ...tinyDelays, totalBudgetMs: 300 } });

    const plan = await client.fetchCoachPlan('d', '2026-11-20');

    expect(plan.error).toBe('busy');
    expect(api.requests.length).toBe(1);
  });

  it('never retries a write', async () => {
    api = await startFakeApi((_request, response) => sendError(response, 503, 'STORAGE_UNAVAILABLE', 'busy'));
    client = createClient({ baseUrl: api.baseUrl, apiKey: 'k', retries: 5, retry: tinyDelays });

    await expect(client.createPlan({ coach: 'd', text: 'plan' })).rejects.toBeInstanceOf(ApiError);
    expect(api.requests.length).toBe(1);
  });
});

describe('circuit breaker', () => {
  it('says the connection was refused when that is what opened it', async () => {
    // A port nothing listens on: the fake API's, once it is closed.
    const gone = await startFakeApi((_request, response) => sendError(response, 500, 'INTERNAL', 'boom'));
    const { baseUrl } = gone;
    await gone.close();
    client = createClient({
      baseUrl,
      retries: 0,
      circuitBreaker: { failureThreshold: 2, cooldownMs: 60_000 },
    });
    for (let call = 0; call < 2; call += 1)
      await expect(client.getPlan(call)).rejects.toThrow('ECONNREFUSED');
    const open = client.getPlan(7);
    await expect(open).rejects.toBeInstanceOf(CircuitOpenError);
    await expect(open).rejects.toThrow(/failed repeatedly \(last: Network error: .*ECONNREFUSED/);
  });

  it('opens after consecutive failures and answers at once without calling the API', async () => {
    api = await startFakeApi((_request, response) => sendError(response, 500, 'INTERNAL', 'boom'));
    client = createClient({
      baseUrl: api.baseUrl,
      retries: 0,
      circuitBreaker: { failureThreshold: 3, cooldownMs: 60_000 },
    });

    for (let call = 0; call < 3; call += 1) await client.fetchCoachPlan('d', `2026-11-1${call}`);
    expect(client.getMetrics().circuitState).toBe('open');

    const refused = await client.fetchCoachPlan('d', '2026-11-20');
    expect(refused.error).toContain('Circuit breaker is open');
    const open = client.getPlan(7);
    await expect(open).rejects.toBeInstanceOf(CircuitOpenError);
    // It says what kept failing, not only that something did.
    await expect(open).rejects.toMatchObject({
      lastFailure: 'HTTP 500',
      message: 'Circuit breaker is open: the Coachwire API failed repeatedly (last: HTTP 500)',
    });
    expect(api.requests.length).toBe(3);
  });

  it('half-opens after the cool-down with one trial and closes when it succeeds', async () => {
    let healthy = false;
    const release = deferred();
    api = await startFakeApi(async (_request, response) => {
      if (!healthy) return sendError(response, 500, 'INTERNAL', 'boom');
      await release.promise;
      sendJson(response, 200, legacyPlan('back'));
    });
    const clock = manualClock();
    client = createClient({
      baseUrl: api.baseUrl,
      clock,
      retries: 0,
      strict: true,
      circuitBreaker: { failureThreshold: 2, cooldownMs: 30_000 },
    });
    await client.fetchCoachPlan('d', '2026-11-18').catch(() => undefined);
    await client.fetchCoachPlan('d', '2026-11-19').catch(() => undefined);
    healthy = true;
    clock.advance(30_000);
    expect(client.getMetrics().circuitState).toBe('half-open');

    const trial = client.fetchCoachPlan('d', '2026-11-20');
    const others = await Promise.allSettled([client.fetchCoachPlan('i', '2026-11-20'), client.getPlan(1)]);
    expect(
      others.map((result) => result.status === 'rejected' && result.reason instanceof CircuitOpenError),
    ).toEqual([true, true]);
    release.resolve();
    expect((await trial).plan).toBe('back');

    expect(client.getMetrics().circuitState).toBe('closed');
    await client.fetchCoachPlan('s', '2026-11-20');
    expect(api.requests.length).toBe(4);
  });

  it('re-opens when the half-open trial fails', async () => {
    api = await startFakeApi((_request, response) => sendError(response, 500, 'INTERNAL', 'boom'));
    const clock = manualClock();
    client = createClient({
      baseUrl: api.baseUrl,
      clock,
      retries: 0,
      circuitBreaker: { failureThreshold: 1, cooldownMs: 1000 },
    });
    await client.fetchCoachPlan('d', '2026-11-19');
    clock.advance(1000);

    await client.fetchCoachPlan('d', '2026-11-20');
    expect(client.getMetrics().circuitState).toBe('open');
    await client.fetchCoachPlan('d', '2026-11-21');
    expect(api.requests.length).toBe(2);
  });

  it('re-opens when the half-open trial runs out of budget reading its body, and tries again later', async () => {
    let calls = 0;
    api = await startFakeApi((_request, response) => {
      calls += 1;
      if (calls === 1) return sendError(response, 500, 'INTERNAL', 'boom');
      // The trial: headers at once, then a body trickling in a byte at a time, which only the budget ends.
      response.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => response.write(' '), 20);
      response.on('close', () => clearInterval(timer));
    });
    const clock = manualClock();
    client = createClient({
      baseUrl: api.baseUrl,
      clock,
      retries: 0,
      strict: true,
      // A budget above 2 s leaves the body to the budget's watchdog rather than a per-attempt abort signal.
      timeoutMs: 5_000,
      retry: { totalBudgetMs: 2_100 },
      circuitBreaker: { failureThreshold: 1, cooldownMs: 1000 },
    });
    await client.fetchCoachPlan('d', '2026-11-19').catch(() => undefined);
    clock.advance(1000);

    await expect(client.fetchCoachPlan('d', '2026-11-20')).rejects.toBeInstanceOf(TimeoutError);
    expect(client.getMetrics().circuitState).toBe('open');
    clock.advance(1000);
    await client.fetchCoachPlan('d', '2026-11-21').catch(() => undefined);
    expect(api.requests.length).toBe(3);
  });

  it('serves a cached plan while open', async () => {
    let failing = false;
    api = await startFakeApi((_request, response) =>
      failing ? sendError(response, 500, 'INTERNAL', 'boom') : sendJson(response, 200, legacyPlan('cached')),
    );
    const clock = manualClock();
    client = createClient({
      baseUrl: api.baseUrl,
      clock,
      retries: 0,
      cache: { ttlSeconds: 1 },
      circuitBreaker: { failureThreshold: 1, cooldownMs: 60_000 },
    });
    await client.fetchCoachPlan('d', '2026-11-20');
    failing = true;
    await client.fetchCoachPlan('i', '2026-11-20');
    clock.advance(2000);

    const plan = await client.fetchCoachPlan('d', '2026-11-20');
    expect(plan.plan).toBe('cached');
    expect(api.requests.length).toBe(2);
  });
});
