import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type CoachwireClient, CoachwireClientError, createClient, type PlanEvent } from './index.js';
import {
  deferred,
  type FakeApi,
  legacyPlan,
  type RecordedRequest,
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

function frame(id: number, coach: string, date: string): string {
  const event = {
    id,
    type: 'plan.updated',
    plan_id: 7,
    coach,
    trading_date: date,
    author_id: '123',
    deleted_at: null,
  };
  return `id: ${id}\nevent: plan.updated\ndata: ${JSON.stringify(event)}\n\n`;
}

/** A fake API whose /api/v1/events connections are handed to the test as they arrive. */
async function startEventApi(onStream: (request: RecordedRequest, response: ServerResponse) => void) {
  let version = 0;
  return startFakeApi((request, response) => {
    if (request.url === '/api/v1/events') {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      response.write(': ping\n\n');
      onStream(request, response);
      return;
    }
    version += 1;
    sendJson(response, 200, legacyPlan(`version ${version}`));
  });
}

describe('event subscription', () => {
  it('drops the cached plan and the all entry of a changed plan so the next fetch asks the server', async () => {
    const stream = deferred<ServerResponse>();
    api = await startEventApi((_request, response) => stream.resolve(response));
    client = createClient({ baseUrl: api.baseUrl });
    const received = deferred<PlanEvent>();
    const opened = deferred<{ resumed: boolean }>();
    client.subscribe((event) => received.resolve(event), { onOpen: (info) => opened.resolve(info) });
    expect(await opened.promise).toEqual({ resumed: false });
    expect((await client.fetchCoachPlan('d', '2026-11-20')).plan).toBe('version 1');
    await client.fetchAllCoachPlans('2026-11-20');
    await client.fetchCoachPlan('i', '2026-11-20');
    expect((await client.fetchCoachPlan('d', '2026-11-20')).plan).toBe('version 1');

    (await stream.promise).write(frame(42, 'd', '2026-11-20'));
    const event = await received.promise;

    expect(event).toMatchObject({ id: 42, type: 'plan.updated', coach: 'd', trading_date: '2026-11-20' });
    expect((await client.fetchCoachPlan('d', '2026-11-20')).plan).toBe('version 4');
    await client.fetchAllCoachPlans('2026-11-20');
    await client.fetchCoachPlan('i', '2026-11-20');
    expect(api.count('/api/coach-plans/all')).toBe(2);
    expect(api.count('/api/coach-plans/?coach=i')).toBe(1);
  });

  it('revalidates answers cached before the stream opened, since changes made meanwhile were not heard', async () => {
    api = await startEventApi(() => {});
    client = createClient({ baseUrl: api.baseUrl });
    expect((await client.fetchCoachPlan('s', '2026-11-20')).plan).toBe('version 1');
    expect((await client.fetchCoachPlan('s', '2026-11-20')).plan).toBe('version 1');
    const opened = deferred<{ resumed: boolean }>();
    client.subscribe(() => {}, { onOpen: (info) => opened.resolve(info) });
    expect(await opened.promise).toEqual({ resumed: false });
    expect((await client.fetchCoachPlan('s', '2026-11-20')).plan).toBe('version 2');
    expect((await client.fetchCoachPlan('s', '2026-11-20')).plan).toBe('version 2');
    expect(api.count('/api/coach-plans/?coach=s')).toBe(2);
  });

  it('treats a resync event as a fresh start: no plan event, cached answers revalidated, onResync told', async () => {
    const stream = deferred<ServerResponse>();
    api = await startEventApi((_request, response) => stream.resolve(response));
    client = createClient({ baseUrl: api.baseUrl });
    const resynced = deferred<unknown>();
    const opened = deferred<{ resumed: boolean }>();
    const events: PlanEvent[] = [];
    const unsubscribe = client.subscribe((event) => events.push(event), {
      onOpen: (info) => opened.resolve(info),
      onResync: (info) => resynced.resolve(info),
    });
    const response = await stream.promise;
    await opened.promise;
    expect((await client.fetchCoachPlan('d', '2026-11-20')).plan).toBe('version 1');
    expect((await client.fetchCoachPlan('d', '2026-11-20')).plan).toBe('version 1');
    response.write('id: 900\nevent: resync\ndata: {"reason":"replay_limit","latest_event_id":900}\n\n');
    expect(await resynced.promise).toEqual({ reason: 'replay_limit', latest_event_id: 900 });
    expect(events).toEqual([]);
    expect(unsubscribe.lastEventId).toBe('900');
    expect((await client.fetchCoachPlan('d', '2026-11-20')).plan).toBe('version 2');
  });

  it('reconnects after the stream ends, sending Last-Event-ID', async () => {
    const reconnected = deferred<RecordedRequest>();
    let connections = 0;
    api = await startEventApi((request, response) => {
      connections += 1;
      if (connections === 1) response.end(frame(42, 'd', '2026-11-20'));
      else reconnected.resolve(request);
    });
    client = createClient({ baseUrl: api.baseUrl, retry: { baseDelayMs: 1, maxDelayMs: 5 } });

    const seen: number[] = [];
    const unsubscribe = client.subscribe((event) => seen.push(event.id));
    const request = await reconnected.promise;

    expect(request.headers['last-event-id']).toBe('42');
    expect(unsubscribe.lastEventId).toBe('42');
    expect(seen).toEqual([42]);
  });

  it('delivers nothing more once unsubscribed, not even events that came in the same chunk', async () => {
    api = await startEventApi((_request, response) => {
      response.write(frame(1, 'd', '2026-11-20') + frame(2, 'd', '2026-11-20') + frame(3, 'd', '2026-11-20'));
    });
    client = createClient({ baseUrl: api.baseUrl });
    const seen: number[] = [];
    const first = deferred();
    const unsubscribe = client.subscribe((event) => {
      seen.push(event.id);
      unsubscribe();
      first.resolve();
    });
    await first.promise;
    // The events of a chunk are handed over synchronously: one turn of the loop later, any would have come.
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual([1]);
  });

  it('reports a refused connection to onError and keeps retrying until unsubscribed', async () => {
    const errors: unknown[] = [];
    const thirdError = deferred();
    let answers = 0;
    api = await startFakeApi((_request, response) => {
      answers += 1;
      sendJson(response, 503, { error: 'starting', message: 'starting', code: 'STORAGE_UNAVAILABLE' });
    });
    client = createClient({ baseUrl: api.baseUrl, retry: { baseDelayMs: 1, maxDelayMs: 2 } });

    const unsubscribe = client.subscribe(() => undefined, {
      onError: (error) => {
        errors.push(error);
        if (errors.length === 3) thirdError.resolve();
      },
    });
    await thirdError.promise;
    unsubscribe();

    expect(errors[0]).toMatchObject({ status: 503, code: 'STORAGE_UNAVAILABLE' });
    expect(answers).toBeGreaterThanOrEqual(3);
  });

  it('reports an answer that is not an event stream as an error, not as an open stream', async () => {
    api = await startFakeApi((_request, response) => {
      // A proxy's page in place of the stream.
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html><body>Service temporarily unavailable</body></html>');
    });
    client = createClient({ baseUrl: api.baseUrl });
    let opens = 0;
    const failed = deferred<unknown>();
    client.subscribe(() => {}, { onOpen: () => (opens += 1), onError: (error) => failed.resolve(error) });
    const error = await failed.promise;
    expect(error).toBeInstanceOf(CoachwireClientError);
    expect((error as CoachwireClientError).code).toBe('INVALID_RESPONSE');
    expect((error as Error).message).toContain('text/html');
    expect(opens).toBe(0);
  });

  it('drops a connection whose event never ends, reports it, and reconnects without its leftovers', async () => {
    let connections = 0;
    api = await startEventApi((_request, response) => {
      connections += 1;
      // First a line that never ends (a broken proxy, say), past the parser's limit; then a good event.
      if (connections === 1) response.write('data: '.concat('x'.repeat(1100 * 1024)));
      else response.write(frame(8, 'd', '2026-11-20'));
    });
    client = createClient({ baseUrl: api.baseUrl, retry: { baseDelayMs: 1, maxDelayMs: 2 } });
    const errors: unknown[] = [];
    const received = deferred<PlanEvent>();
    client.subscribe((event) => received.resolve(event), { onError: (error) => errors.push(error) });

    expect((await received.promise).id).toBe(8);
    expect(connections).toBe(2);
    expect(errors).toEqual([expect.objectContaining({ code: 'INVALID_RESPONSE' })]);
  });

  it('does not hand reads made after a plan event the answer of a read that was in flight before it', async () => {
    let stream: ServerResponse | undefined;
    const streamOpen = deferred();
    const firstReadsArrived = deferred();
    const releaseFirstReads = deferred();
    let legacyReads = 0;
    let v1Reads = 0;
    api = await startFakeApi(async (request, response) => {
      if (request.url === '/api/v1/events') {
        response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        response.write(': ping\n\n');
        stream = response;
        streamOpen.resolve();
        return;
      }
      const version = request.url.startsWith('/api/v1/') ? ++v1Reads : ++legacyReads;
      if (version === 1) {
        if (legacyReads === 1 && v1Reads === 1) firstReadsArrived.resolve();
        await releaseFirstReads.promise;
      }
      if (request.url.startsWith('/api/v1/')) sendJson(response, 200, { id: 7, text: `version ${version}` });
      else sendJson(response, 200, legacyPlan(`version ${version}`));
    });
    client = createClient({ baseUrl: api.baseUrl, retries: 0 });
    const eventSeen = deferred();
    const opened = deferred();
    client.subscribe(() => eventSeen.resolve(), { onOpen: () => opened.resolve() });
    await Promise.all([streamOpen.promise, opened.promise]);

    const legacyBefore = client.fetchCoachPlan('d', '2026-11-20');
    const v1Before = client.getPlan(7);
    await firstReadsArrived.promise;
    stream!.write(frame(43, 'd', '2026-11-20'));
    await eventSeen.promise;
    const legacyAfter = client.fetchCoachPlan('d', '2026-11-20');
    const v1After = client.getPlan(7);
    releaseFirstReads.resolve();

    expect((await legacyBefore).plan).toBe('version 1');
    expect((await legacyAfter).plan).toBe('version 2');
    expect((await v1Before).text).toBe('version 1');
    expect((await v1After).text).toBe('version 2');
    // What is kept is the answer read after the event.
    expect((await client.fetchCoachPlan('d', '2026-11-20')).plan).toBe('version 2');
    expect(legacyReads).toBe(2);
  });

  it('waits no longer than retry.maxRetryAfterMs when the events URL asks for a long Retry-After', async () => {
    let connections = 0;
    api = await startFakeApi((_request, response) => {
      connections += 1;
      if (connections === 1) {
        response.writeHead(503, { 'content-type': 'application/json', 'retry-after': '3600' });
        response.end('{"error":"busy","message":"busy","code":"UNAVAILABLE"}');
        return;
      }
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      response.write(frame(5, 'd', '2026-11-20'));
    });
    client = createClient({ baseUrl: api.baseUrl, retry: { maxRetryAfterMs: 20 } });
    const received = deferred<PlanEvent>();
    const errors: unknown[] = [];
    client.subscribe((event) => received.resolve(event), { onError: (error) => errors.push(error) });

    expect((await received.promise).id).toBe(5);
    expect(errors).toEqual([expect.objectContaining({ status: 503 })]);
  });
});
