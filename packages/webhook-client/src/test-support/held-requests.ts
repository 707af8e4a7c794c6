import type { ServerResponse } from 'node:http';
import type { FakeHandler, RecordedRequest } from './fake-coachwire-api.js';

/** A request the fake API received and has not answered. */
export interface HeldRequest {
  request: RecordedRequest;
  response: ServerResponse;
  /** Resolves when the connection is closed before an answer was sent (the client gave up on it). */
  closed: Promise<void>;
}

/**
 * Holds requests unanswered so a test can act while they are in flight: `hold` is a FakeHandler (or a part of
 * one) that queues the request, `next()` resolves with the next one held, in arrival order.
 */
export function heldRequests(): { hold: FakeHandler; next(): Promise<HeldRequest> } {
  const held: HeldRequest[] = [];
  const waiting: Array<(request: HeldRequest) => void> = [];
  return {
    hold(request, response) {
      const closed = new Promise<void>((resolve) =>
        response.on('close', () => {
          if (!response.writableFinished) resolve();
        }),
      );
      const entry = { request, response, closed };
      const waiter = waiting.shift();
      if (waiter === undefined) held.push(entry);
      else waiter(entry);
    },
    next() {
      const entry = held.shift();
      if (entry !== undefined) return Promise.resolve(entry);
      return new Promise((resolve) => waiting.push(resolve));
    },
  };
}
