import type { ServerResponse } from 'node:http';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createClient, type Market, type MarketEvent } from './index.js';
import { deferred, sendJson, startFakeApi } from './test-support/fake-coachwire-api.js';

describe('a market read in flight when its event arrives', () => {
  it('is answered, but not kept: the next read asks the API again', async () => {
    let stream: ServerResponse | undefined;
    const streamOpen = deferred();
    const firstReadArrived = deferred();
    const releaseFirstRead = deferred();
    let reads = 0;
    const api = await startFakeApi(async (request, response) => {
      if (request.url.startsWith('/api/v1/events')) {
        response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        response.write(': connected\n\n');
        stream = response;
        streamOpen.resolve();
        return;
      }
      reads += 1;
      const volume = reads;
      if (volume === 1) {
        firstReadArrived.resolve();
        await releaseFirstRead.promise;
      }
      sendJson(response, 200, { id: 1, volume } as unknown as Market);
    });
    const client = createClient({ baseUrl: api.baseUrl, retries: 0 });
    onTestFinished(async () => {
      await client.close();
      await api.close();
    });
    const events: MarketEvent[] = [];
    const eventSeen = deferred();
    let opened!: () => void;
    const isOpen = new Promise<void>((resolve) => (opened = resolve));
    client.subscribeMarkets(
      (event) => {
        events.push(event);
        eventSeen.resolve();
      },
      { onOpen: () => opened() },
    );
    await Promise.all([streamOpen.promise, isOpen]);

    const first = client.getMarket(1);
    await firstReadArrived.promise;
    stream!.write(
      `id: 9\nevent: market.traded\ndata: ${JSON.stringify({ type: 'market.traded', market_id: 1 })}\n\n`,
    );
    await eventSeen.promise;
    releaseFirstRead.resolve();
    expect((await first).volume).toBe(1);
    expect((await client.getMarket(1)).volume).toBe(2);
    expect(reads).toBe(2);
  });
});

describe('a market stream that has ended', () => {
  it('no longer vouches for the cache while it reconnects: reads ask the API again', async () => {
    let stream: ServerResponse | undefined;
    const streamOpen = deferred();
    const reconnecting = deferred();
    let streams = 0;
    let reads = 0;
    const api = await startFakeApi((request, response) => {
      if (request.url.startsWith('/api/v1/events')) {
        streams += 1;
        if (streams > 1) {
          // The reconnection waits for its headers (a restarting API, say): no stream is open meanwhile.
          reconnecting.resolve();
          return;
        }
        response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        response.write(': connected\n\n');
        stream = response;
        streamOpen.resolve();
        return;
      }
      reads += 1;
      sendJson(response, 200, { id: 1, volume: reads } as unknown as Market);
    });
    const client = createClient({
      baseUrl: api.baseUrl,
      retries: 0,
      retry: { baseDelayMs: 1, maxDelayMs: 2 },
    });
    onTestFinished(async () => {
      await client.close();
      await api.close();
    });
    let opened!: () => void;
    const isOpen = new Promise<void>((resolve) => (opened = resolve));
    client.subscribeMarkets(() => {}, { marketId: 1, onOpen: () => opened() });
    await Promise.all([streamOpen.promise, isOpen]);
    expect((await client.getMarket(1)).volume).toBe(1);
    // Served from the cache while the stream is open.
    expect((await client.getMarket(1)).volume).toBe(1);

    stream!.end();
    await reconnecting.promise;
    expect((await client.getMarket(1)).volume).toBe(2);
    expect(reads).toBe(2);
  });
});
