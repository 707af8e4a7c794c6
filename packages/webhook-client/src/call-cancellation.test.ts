import { getEventListeners } from 'node:events';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import type { CoachwireClient } from './index.js';
import { clientOf, deferred, legacyPlan, sendError, sendJson } from './test-support/fake-coachwire-api.js';
import { heldRequests } from './test-support/held-requests.js';

const plan = { id: 1, coach: 'd', trading_date: '2026-11-20', text: 'Long above 5000' };
const market = { id: 7, status: 'open' };
const betResult = { bet: { id: 1, market_id: 7 }, market, balance: 950, position_shares: 70 };

/** What rejected, or `undefined` when the call resolved. */
const rejectionOf = (call: Promise<unknown>) =>
  call.then(
    () => undefined,
    (error: unknown) => error,
  );

/** Each of the client's calls that ask the API, with the given signal. */
function everyCall(client: CoachwireClient, signal: AbortSignal): Array<[string, () => Promise<unknown>]> {
  const firstPage = async (pages: AsyncIterable<unknown>) => {
    for await (const page of pages) return page;
  };
  const bet = { userId: '1', option: 'Yes', amount: 5, signal };
  return [
    ['fetchCoachPlan', () => client.fetchCoachPlan('d', '2026-11-20', { signal })],
    ['fetchAllCoachPlans', () => client.fetchAllCoachPlans(undefined, { signal })],
    ['getPlan', () => client.getPlan(1, { signal })],
    ['listPlans', () => firstPage(client.listPlans({ coach: 'd' }, { signal }))],
    ['getCoachPlan', () => client.getCoachPlan('d', '2026-11-20', { signal })],
    ['getHistory', () => client.getHistory(1, { signal })],
    ['listCoaches', () => client.listCoaches({ signal })],
    ['createPlan', () => client.createPlan({ coach: 'd', text: 'x' }, { signal })],
    ['updatePlan', () => client.updatePlan(1, { text: 'y' }, { signal })],
    ['deletePlan', () => client.deletePlan(1, { signal })],
    ['checkHealth', () => client.checkHealth({ signal })],
    ['getServerMetrics', () => client.getServerMetrics({ signal })],
    ['getMarket', () => client.getMarket(7, { signal })],
    ['listMarkets', () => firstPage(client.listMarkets({ status: 'open' }, { signal }))],
    ['getMarketHistory', () => client.getMarketHistory(7, { points: 5, signal })],
    ['getLeaderboard', () => client.getLeaderboard('9000', 'month', { signal })],
    ['getCoachCalls', () => client.getCoachCalls('d', { from: '2026-11-01', signal })],
    ['quote', () => client.quote(7, { option: 'Yes', amount: 5, signal })],
    ['placeBet', () => client.placeBet(7, bet)],
    ['sell', () => client.sell(7, { userId: '1', option: 'Yes', shares: 1, signal })],
    [
      'createMarket',
      () =>
        client.createMarket({
          guildId: '9000',
          userId: '1',
          question: 'SPY up?',
          mechanism: 'cpmm',
          closesAt: '2026-11-27T21:00:00Z',
          signal,
        }),
    ],
  ];
}

describe('a call given an AbortSignal', () => {
  it('rejects at once with the signal’s reason, asking the API nothing, when it is already aborted', async () => {
    const { api, client } = await clientOf((_request, response) => sendJson(response, 200, {}), {
      apiKey: 'k',
    });
    for (const signal of [AbortSignal.abort(), AbortSignal.abort(new Error('the agent was stopped'))]) {
      for (const [name, call] of everyCall(client, signal)) {
        // Not strict, yet the legacy calls reject too: an abort is not a failure to fall back from.
        expect(await rejectionOf(call()), name).toBe(signal.reason);
      }
    }
    expect(AbortSignal.abort().reason).toMatchObject({ name: 'AbortError' });
    expect(api.requests).toEqual([]);
    expect(client.getMetrics()).toMatchObject({ apiErrors: 0, apiSuccesses: 0, circuitState: 'closed' });
  });

  it('ends the request in flight, on the default transport and on one of the caller’s own', async () => {
    const held = heldRequests();
    const { open } = await clientOf(held.hold, { apiKey: 'k' });
    const transports = {
      default: open(),
      httpRequest: open({ httpRequest: (url, options) => request(url, options) }),
    };
    for (const [transport, client] of Object.entries(transports)) {
      for (const call of [
        (signal: AbortSignal) => client.getPlan(1, { signal }),
        (signal: AbortSignal) => client.fetchCoachPlan('d', '2026-11-20', { signal }),
        (signal: AbortSignal) => client.placeBet(7, { userId: '1', option: 'Yes', amount: 5, signal }),
      ]) {
        const controller = new AbortController();
        const rejected = rejectionOf(call(controller.signal));
        const inFlight = await held.next();
        controller.abort();
        const error = await rejected;
        expect(error, transport).toBe(controller.signal.reason);
        expect(error, transport).toMatchObject({ name: 'AbortError' });
        // The server sees the request's connection closed: the request was cancelled, not just forgotten.
        await inFlight.closed;
      }
      expect(client.getMetrics(), transport).toMatchObject({ apiErrors: 0, apiRetries: 0, staleServed: 0 });
    }
  });

  it('stops waiting out a Retry-After, and no further attempt is made', async () => {
    const waiting = deferred();
    const { api, client } = await clientOf(
      (_request, response) => sendError(response, 503, 'UNAVAILABLE', 'busy', { 'retry-after': '600' }),
      {
        retry: { maxRetryAfterMs: 1_000_000, totalBudgetMs: 0 },
        // The client logs a retry just before it starts waiting.
        logger: { debug: () => waiting.resolve() },
      },
    );
    const controller = new AbortController();
    const rejected = rejectionOf(client.fetchAllCoachPlans('2026-11-20', { signal: controller.signal }));
    await waiting.promise;
    controller.abort();
    // The rejection comes from the retry loop itself ending, so no attempt can follow it.
    expect(await rejected).toBe(controller.signal.reason);
    expect(api.requests).toHaveLength(1);
    expect(client.getMetrics()).toMatchObject({ apiRetries: 1, apiErrors: 0 });
  });

  it('keeps no abort listener on a signal reused for 1,000 calls, which still cancels the next one', async () => {
    const held = heldRequests();
    let refuse = false;
    const { client, open } = await clientOf(
      (request, response) => {
        if (request.url === '/api/v1/plans/9') return held.hold(request, response);
        // A quote is refused every other time: each quote waits between two attempts, then gets its answer.
        if (request.url.endsWith('/quote')) refuse = !refuse;
        if (request.url.endsWith('/quote') && refuse)
          return sendError(response, 503, 'UNAVAILABLE', 'busy', { 'retry-after': '0' });
        if (request.url.startsWith('/api/v1/plans/')) return sendJson(response, 200, plan);
        if (request.url.startsWith('/api/coach-plans/')) return sendJson(response, 200, legacyPlan('Long'));
        if (request.url.endsWith('/bets')) return sendJson(response, 200, betResult);
        return sendJson(response, 200, market);
      },
      { apiKey: 'k', cache: false, retry: { baseDelayMs: 1, maxDelayMs: 1 } },
    );
    const own = open({ httpRequest: (url, options) => request(url, options) });
    for (const each of [client, own]) {
      const controller = new AbortController();
      const { signal } = controller;
      for (let round = 0; round < 125; round++) {
        await Promise.all([
          each.getPlan(1, { signal }),
          each.getPlan(1, { signal }), // coalesced with the one before
          each.quote(7, { option: 'Yes', amount: 5, signal }),
          each.fetchCoachPlan('d', '2026-11-20', { signal }),
          each.getMarket(7, { signal }),
          each.placeBet(7, { userId: '1', option: 'Yes', amount: 5, signal }),
          each.listCoaches({ signal }),
          each.checkHealth({ signal }),
        ]);
      }
      expect(getEventListeners(signal, 'abort')).toHaveLength(0);
      const rejected = rejectionOf(each.getPlan(9, { signal }));
      const inFlight = await held.next();
      controller.abort();
      expect(await rejected).toBe(signal.reason);
      await inFlight.closed;
    }
  });

  it('stops a subscription when its signal aborts, and opens none for a signal already aborted', async () => {
    const streams: Array<Promise<void>> = [];
    let connections = 0;
    const { client } = await clientOf(
      (_request, response) => {
        streams.push(new Promise((resolve) => response.on('close', () => resolve())));
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write(': open\n\n');
      },
      {
        // Counts the connections the subscriptions open.
        httpRequest: (url, options) => {
          connections += 1;
          return request(url, options);
        },
      },
    );
    const longLived = new AbortController().signal;
    for (const subscribe of [
      (signal: AbortSignal, onOpen: () => void) => client.subscribe(() => {}, { signal, onOpen }),
      (signal: AbortSignal, onOpen: () => void) => client.subscribeMarkets(() => {}, { signal, onOpen }),
    ]) {
      const controller = new AbortController();
      const opened = deferred();
      subscribe(controller.signal, () => opened.resolve());
      await opened.promise;
      controller.abort();
      // The server sees the stream closed.
      await streams.at(-1);

      // Stopped by its function instead, it leaves no listener on a signal that lives on.
      const reopened = deferred();
      const stop = subscribe(longLived, () => reopened.resolve());
      await reopened.promise;
      stop();
      await streams.at(-1);
      expect(getEventListeners(longLived, 'abort')).toHaveLength(0);

      const before = connections;
      subscribe(AbortSignal.abort(), () => {});
      expect(connections).toBe(before);
    }
  });

  it('may leave a bet placed when aborted in flight; retried with the same key, it bets once', async () => {
    const held = heldRequests();
    /** The API's idempotency records: a repeated key gets the first result, and bets nothing more. */
    const resultsByKey = new Map<string, unknown>();
    const bets: string[] = [];
    const { api, client } = await clientOf(
      (request, response) => {
        const key = String(request.headers['idempotency-key']);
        const first = resultsByKey.get(key);
        if (first !== undefined) return sendJson(response, 200, first);
        bets.push(key);
        resultsByKey.set(key, { ...betResult, bet: { ...betResult.bet, id: bets.length } });
        // The bet is placed; its answer is slow to come back.
        held.hold(request, response);
      },
      { apiKey: 'k' },
    );
    const bet = { userId: '1', option: 'Yes', amount: 50, idempotencyKey: 'agent-bet-1' };
    const controller = new AbortController();
    const rejected = rejectionOf(client.placeBet(7, { ...bet, signal: controller.signal }));
    const inFlight = await held.next();
    controller.abort();
    expect(await rejected).toBe(controller.signal.reason);
    await inFlight.closed;
    expect(bets).toEqual(['agent-bet-1']);

    const retried = await client.placeBet(7, bet);
    expect(retried.bet.id).toBe(1);
    expect(bets).toEqual(['agent-bet-1']);
    expect(api.requests.map((each) => each.headers['idempotency-key'])).toEqual([
      'agent-bet-1',
      'agent-bet-1',
    ]);
  });
});
