import { createServer, get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LoggedEvent } from '@coachwire/core';
import { afterEach, describe, expect, it } from 'vitest';
import { SseStream } from './sse-stream.js';

const planEvent = (id: number): LoggedEvent => ({
  id,
  domain: 'plan',
  type: 'plan.created',
  guildId: null,
  planId: id,
  marketId: null,
  payload: { planId: id },
  occurredAt: '2026-11-20T15:00:00.000Z',
});

describe('an event stream still catching up', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  /** A real response on loopback, and the client's side of it. */
  const open = () =>
    new Promise<{ stream: SseStream; response: IncomingMessage }>((resolve) => {
      let stream: SseStream | undefined;
      server = createServer((_request, response) => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write(': connected\n\n');
        stream = new SseStream(response, undefined, 3);
      });
      server.listen(0, '127.0.0.1', () => {
        const { port } = server!.address() as AddressInfo;
        get({ host: '127.0.0.1', port, path: '/' }, (response) => resolve({ stream: stream!, response }));
      });
    });

  it('holds live events up to its limit, and closes the stream on one more rather than hold them all', async () => {
    const { stream, response } = await open();
    const closed = new Promise<void>((resolve) => response.once('close', () => resolve()));
    response.resume();
    stream.deliver([planEvent(1), planEvent(2)]);
    stream.deliver([planEvent(3)]);
    expect(stream.isClosed).toBe(false);
    stream.deliver([planEvent(4)]);
    await closed;
    expect(stream.isClosed).toBe(true);
  });
});
