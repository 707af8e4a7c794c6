import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { CoachwireClientError, NetworkError, TimeoutError } from './index.js';
import { clientOf, deferred } from './test-support/fake-coachwire-api.js';

describe("a call's budget and close()", () => {
  it('ends a call whose body trickles in a byte at a time when its total budget is spent', async () => {
    // A per-attempt timeout above 2 s is undici's gap timeout alone, which a trickle never trips.
    const budget = { timeoutMs: 5_000, retry: { totalBudgetMs: 300 } };
    const { client, open } = await clientOf(
      (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        const timer = setInterval(() => response.write(' '), 20);
        response.on('close', () => clearInterval(timer));
      },
      { ...budget, strict: true },
    );
    const failure = await client.fetchCoachPlan('d', '2026-11-20').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TimeoutError);
    // Without strict, the documented fallback.
    expect((await open({ ...budget, strict: false }).fetchCoachPlan('d', '2026-11-20')).plan).toMatch(
      /^Error fetching plan for coach d: .*budget/,
    );
  });

  it('ends the calls in flight at once, and refuses calls made afterwards without asking the API', async () => {
    const reached = deferred();
    const { api, client } = await clientOf(
      () => {
        reached.resolve();
        // Never answers.
      },
      { strict: true },
    );
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

  it("ends a call in flight on the caller's own transport too", async () => {
    const reached = deferred();
    const { client } = await clientOf(
      () => {
        reached.resolve();
        // Never answers.
      },
      // No timeout and no budget: only close() can end the call.
      { timeoutMs: 0, retry: { totalBudgetMs: 0 }, httpRequest: (url, options) => request(url, options) },
    );
    const pending = client.getPlan(1).catch((error: unknown) => error);
    await reached.promise;
    await client.close();
    const ended = await pending;
    expect(ended).toBeInstanceOf(NetworkError);
    expect((ended as Error).message).toContain('closed');
    expect((ended as Error).cause).toMatchObject({ name: 'AbortError' });
  });

  it('ends a call waiting out a Retry-After at once, without waiting for it', async () => {
    const waiting = deferred();
    const { client } = await clientOf(
      (_request, response) => {
        response.writeHead(503, { 'content-type': 'application/json', 'retry-after': '600' });
        response.end('{"code":"UNAVAILABLE","message":"busy"}');
      },
      {
        strict: true,
        retry: { maxRetryAfterMs: 1_000_000, totalBudgetMs: 0 },
        // The client logs the retry just before it starts waiting.
        logger: { debug: () => waiting.resolve() },
      },
    );
    const pending = client.getPlan(7).catch((error: unknown) => error);
    await waiting.promise;
    await client.close();
    const ended = await pending;
    expect(ended).toBeInstanceOf(NetworkError);
    expect((ended as Error).message).toContain('closed');
  });

  it('opens no event stream once closed, and tells onError why', async () => {
    let sent = 0;
    const { client } = await clientOf(() => {}, {
      // Counts the connections the subscription would open; none should be.
      httpRequest: () => {
        sent += 1;
        return new Promise(() => {});
      },
    });
    await client.close();
    for (const subscribe of [
      (onError: (error: unknown) => void) => client.subscribe(() => {}, { onError }),
      (onError: (error: unknown) => void) => client.subscribeMarkets(() => {}, { onError }),
    ]) {
      const failed = deferred<unknown>();
      subscribe((error) => failed.resolve(error));
      const error = await failed.promise;
      expect(error).toBeInstanceOf(NetworkError);
      expect((error as Error).message).toContain('closed');
    }
    expect(sent).toBe(0);
  });

  it('answers invalid JSON on the legacy endpoints with a typed error in strict mode', async () => {
    const { client, open } = await clientOf(
      (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"plan": ');
      },
      { strict: true },
    );
    const failure = await client.fetchCoachPlan('d', '2026-11-20').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CoachwireClientError);
    expect((failure as CoachwireClientError).code).toBe('INVALID_RESPONSE');
    // Without strict, the documented fallback as before.
    expect((await open({ strict: false }).fetchCoachPlan('d', '2026-11-20')).plan).toMatch(
      /^Error fetching plan for coach d: .*invalid JSON/,
    );
  });

  it('keeps a stream going when its onError handler throws, and says so as a process warning', async () => {
    const { client } = await clientOf(
      (_request, response) => {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end('{"code":"INTERNAL","message":"down"}');
      },
      { retry: { baseDelayMs: 1, maxDelayMs: 2 } },
    );
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
