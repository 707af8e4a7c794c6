import { describe, expect, it } from 'vitest';
import { CircuitOpenError } from './index.js';
import { clientOf, legacyPlan, manualClock, sendError, sendJson } from './test-support/fake-coachwire-api.js';
import { heldRequests } from './test-support/held-requests.js';

const plan = { id: 1, coach: 'd', trading_date: '2026-11-20', text: 'Long above 5000' };

/** What rejected, or `undefined` when the call resolved. */
const rejectionOf = (call: Promise<unknown>) =>
  call.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('an abort among callers sharing a request', () => {
  it('ends only the caller who gave up: the others sharing the request get its answer', async () => {
    const held = heldRequests();
    const { api, client } = await clientOf(held.hold);
    for (const read of [
      (signal: AbortSignal) => client.getPlan(1, { signal }),
      (signal: AbortSignal) => client.getMarket(7, { signal }),
      (signal: AbortSignal) => client.fetchCoachPlan('d', '2026-11-20', { signal }),
    ]) {
      const leaving = new AbortController();
      const staying = new AbortController();
      const left = rejectionOf(read(leaving.signal));
      const stayed = read(staying.signal);
      const inFlight = await held.next();
      leaving.abort();
      expect(await left).toBe(leaving.signal.reason);
      // Answered after the abort: had it ended the shared request, the caller who stayed would reject.
      sendJson(
        inFlight.response,
        200,
        inFlight.request.url.startsWith('/api/coach-plans/') ? legacyPlan('x') : plan,
      );
      expect(await stayed).toBeDefined();
    }
    expect(api.requests).toHaveLength(3);
    expect(client.getMetrics()).toMatchObject({ coalesced: 3, apiErrors: 0 });
  });

  it('cancels the shared request once every caller has given up, and the next caller asks anew', async () => {
    const held = heldRequests();
    const { api, client } = await clientOf(held.hold);
    const first = new AbortController();
    const second = new AbortController();
    const rejected = [first, second].map((each) => rejectionOf(client.getPlan(1, { signal: each.signal })));
    const inFlight = await held.next();
    first.abort();
    second.abort();
    expect(await Promise.all(rejected)).toEqual([first.signal.reason, second.signal.reason]);
    await inFlight.closed;
    // A new request, not the one being torn down.
    const next = client.getPlan(1);
    const asked = await held.next();
    sendJson(asked.response, 200, plan);
    expect(await next).toEqual(plan);
    expect(api.requests).toHaveLength(2);
  });

  it('serves no stale plan to an aborted caller, and leaves the cache as it was for the next one', async () => {
    const clock = manualClock();
    const held = heldRequests();
    let mode: 'answer' | 'hold' | 'not-modified' = 'answer';
    const { client } = await clientOf(
      (request, response) => {
        if (mode === 'hold') return held.hold(request, response);
        if (mode === 'not-modified') {
          response.writeHead(304, { etag: '"v1"' });
          response.end();
          return;
        }
        sendJson(response, 200, legacyPlan('Long above 5000'), { etag: '"v1"' });
      },
      { clock, cache: { ttlSeconds: 60 } },
    );
    const cached = await client.fetchCoachPlan('d', '2026-11-20');
    clock.advance(61_000); // past its TTL: the next call revalidates
    mode = 'hold';
    const controller = new AbortController();
    const rejected = rejectionOf(client.fetchCoachPlan('d', '2026-11-20', { signal: controller.signal }));
    const inFlight = await held.next();
    controller.abort();
    expect(await rejected).toBe(controller.signal.reason);
    await inFlight.closed;
    expect(client.getMetrics()).toMatchObject({ staleServed: 0, apiErrors: 0, cacheSize: 1 });

    mode = 'not-modified';
    expect(await client.fetchCoachPlan('d', '2026-11-20')).toBe(cached);
    expect(client.getMetrics()).toMatchObject({ revalidations: 1, staleServed: 0 });
  });
});

describe('an abort and the circuit breaker', () => {
  it('does not count an abort as a failure of the server', async () => {
    const held = heldRequests();
    const { api, client } = await clientOf(
      (request, response) => {
        if (api.requests.length <= 3) return held.hold(request, response);
        sendJson(response, 200, plan);
      },
      { circuitBreaker: { failureThreshold: 1 }, strict: true },
    );
    for (let call = 0; call < 3; call++) {
      const controller = new AbortController();
      const rejected = rejectionOf(client.getPlan(1, { signal: controller.signal }));
      await held.next();
      controller.abort();
      expect(await rejected).toBe(controller.signal.reason);
      expect(client.getMetrics().circuitState).toBe('closed');
    }
    expect(await client.getPlan(1)).toEqual(plan);
    expect(client.getMetrics()).toMatchObject({ apiErrors: 0, apiSuccesses: 1 });
  });

  it('lets the next call through when a half-open trial is aborted', async () => {
    const clock = manualClock();
    const held = heldRequests();
    let mode: 'fail' | 'hold' | 'answer' = 'fail';
    const { client } = await clientOf(
      (request, response) => {
        if (mode === 'fail') return sendError(response, 500, 'INTERNAL', 'down');
        if (mode === 'hold') return held.hold(request, response);
        sendJson(response, 200, plan);
      },
      { clock, retries: 0, circuitBreaker: { failureThreshold: 1, cooldownMs: 1_000 } },
    );
    await expect(client.getPlan(1)).rejects.toMatchObject({ status: 500 });
    expect(await rejectionOf(client.getPlan(1))).toBeInstanceOf(CircuitOpenError);
    clock.advance(1_000);
    mode = 'hold';
    const controller = new AbortController();
    const trial = rejectionOf(client.getPlan(1, { signal: controller.signal }));
    await held.next();
    controller.abort();
    expect(await trial).toBe(controller.signal.reason);
    // The trial said nothing about the server: the next call is the trial now.
    mode = 'answer';
    expect(await client.getPlan(1)).toEqual(plan);
    expect(client.getMetrics().circuitState).toBe('closed');
  });
});
