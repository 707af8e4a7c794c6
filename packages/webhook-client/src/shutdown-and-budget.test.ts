import { afterEach, describe, expect, it } from 'vitest';
import {
  type CoachwireClient,
  CoachwireClientError,
  createClient,
  NetworkError,
  TimeoutError,
} from './index.js';
import { deferred, type FakeApi, startFakeApi } from './test-support/fake-coachwire-api.js';

let api: FakeApi | undefined;
let client: CoachwireClient | undefined;
afterEach(async () => {
  await client?.close();
  await api?.close();
  client = undefined;
  api = undefined;
});

describe("a call's budget and close()", () => {
  it('ends a call whose body trickles in a byte at a time when its total budget is spent', async () => {
    api = await startFakeApi((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => response.write(' '), 20);
      response.on('close', () => clearInterval(timer));
    });
    // A per-attempt timeout above 2 s is undici's gap timeout alone, which a trickle never trips.
    client = createClient({
      baseUrl: api.baseUrl,
      timeoutMs: 5_000,
      retry: { totalBudgetMs: 300 },
      strict: true,
    });
    const failure = await client.fetchCoachPlan('d', '2026-11-20').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TimeoutError);
    const fallback = createClient({ baseUrl: api.baseUrl, timeoutMs: 5_000, retry: { totalBudgetMs: 300 } });
    try {
      expect((await fallback.fetchCoachPlan('d', '2026-11-20')).plan).toMatch(
        /^Error fetching plan for coach d: .*budget/,
      );
    } finally {
      await fallback.close();
    }
  });

  it('ends the calls in flight at once, and refuses calls made afterwards without asking the API', async () => {
    const reached = deferred();
    api = await startFakeApi(() => {
      reached.resolve();
      // Never answers.
    });
    client = createClient({ baseUrl: api.baseUrl, strict: true });
    const pending = client.fetchCoachPlan('d', '2026-11-20').catch((error: unknown) => error);
    await reached.promise;
    await client.close();
    const ended = await pending;
    expect(ended).toBeInstanceOf(NetworkError);
    expect((ended as Error).message).toContain('closed');
    const after = await client.fetchCoachPlan('s', '2026-11-20').catch((error: unknown) => error);
    expect(after).toBeInstanceOf(NetworkError);
    expect(api.requests).toHaveLength(1);
    await client.close(); // twice is harmless
  });

  it('answers invalid JSON on the legacy endpoints with a typed error in strict mode', async () => {
    api = await startFakeApi((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"plan": ');
    });
    client = createClient({ baseUrl: api.baseUrl, strict: true });
    const failure = await client.fetchCoachPlan('d', '2026-11-20').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CoachwireClientError);
    expect((failure as CoachwireClientError).code).toBe('INVALID_RESPONSE');
    // Without strict, the documented fallback as before.
    const lenient = createClient({ baseUrl: api.baseUrl });
    try {
      expect((await lenient.fetchCoachPlan('d', '2026-11-20')).plan).toMatch(
        /^Error fetching plan for coach d: .*invalid JSON/,
      );
    } finally {
      await lenient.close();
    }
  });

  it('keeps a stream going when its onError handler throws, and says so as a process warning', async () => {
    api = await startFakeApi((_request, response) => {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end('{"code":"INTERNAL","message":"down"}');
    });
    client = createClient({ baseUrl: api.baseUrl, retry: { baseDelayMs: 1, maxDelayMs: 2 } });
    const nextWarning = () => new Promise<Error>((resolve) => process.once('warning', resolve));
    let errors = 0;
    const first = nextWarning();
    client.subscribe(() => {}, {
      onError() {
        errors += 1;
        throw new Error('handler bug');
      },
    });
    expect((await first).message).toContain('handler bug');
    // The loop carried on: it reconnects, fails and reports again.
    expect((await nextWarning()).message).toContain('handler bug');
    expect(errors).toBeGreaterThanOrEqual(2);
  });
});
