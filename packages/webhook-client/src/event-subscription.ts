import { CoachwireClientError } from './errors.js';
import type { HttpRequestFunction } from './http-transport.js';
import { toTransportError } from './http-transport.js';
import { apiErrorFrom, closedError } from './request-executor.js';
import { backoffDelayMs, parseRetryAfterMs } from './retry-policy.js';
import { SseParser } from './sse-parser.js';
import type { PlanEvent } from './types.js';

/** A stream with no byte (not even a `: ping`) for this long is considered dead and reopened. */
const idleTimeoutMs = 60_000;

export interface SubscriptionSettings {
  url: string;
  send: HttpRequestFunction;
  timeoutMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest wait the server may ask for (Retry-After, the stream's `retry:`) before a reconnection. */
  maxRetryAfterMs: number;
  onEvent: (event: PlanEvent) => void;
  onError: (error: unknown) => void;
  /** Aborted by the client's close(): a subscription asked for afterwards opens nothing and says why. */
  clientClosed?: AbortSignal;
  /** Sent as a Bearer token when set (a deployment may require a key for reads). */
  apiKey?: string | undefined;
  /** After each successful (re)connect; `resumed` when a Last-Event-ID was sent. */
  onOpen?: (info: { resumed: boolean }) => void;
  /** When a stream that had opened stops (it ended, or failed), before the wait to reconnect. */
  onClose?: () => void;
  /** When the server cannot replay what was missed (the `resync` event): reload, as after a fresh open. */
  onResync?: (info: ResyncInfo) => void;
}

/** The data of the server's `resync` event. */
export interface ResyncInfo {
  /** `replay_limit` (too far behind), `pruned` (the missed events were pruned) or `unknown_event_id`. */
  reason: string;
  /** The newest event id; the stream goes on live after it. */
  latest_event_id: number;
}

/** Handle returned by `subscribe`: call it (or its `unsubscribe`) to stop listening. */
export interface Unsubscribe {
  (): void;
  unsubscribe(): void;
  /** The id the next reconnect will send as `Last-Event-ID`. */
  readonly lastEventId: string | undefined;
}

/** The handle of a subscription that was never opened (its signal had aborted): stopping it does nothing. */
export function unopenedSubscription(): Unsubscribe {
  const stop = () => {};
  return Object.defineProperties(stop as Unsubscribe, {
    unsubscribe: { value: stop },
    lastEventId: { get: () => undefined },
  });
}

/** Keeps one event stream open, reconnecting with `Last-Event-ID` and full-jitter backoff. */
export function openEventSubscription(subscription: SubscriptionSettings): Unsubscribe {
  // An onError that throws must not end the process (an unhandled rejection of the stream's loop): its
  // error becomes a process warning, and the stream carries on.
  const settings: SubscriptionSettings = {
    ...subscription,
    onError(error) {
      try {
        subscription.onError(error);
      } catch (thrown) {
        process.emitWarning(
          `A Coachwire event stream's onError handler threw: ${thrown instanceof Error ? thrown.message : String(thrown)}`,
        );
      }
    },
  };
  const controller = new AbortController();
  let wake: (() => void) | undefined;
  const parser = new SseParser((message) => {
    // A chunk can hold several events; once unsubscribed (even by the handler itself), none more is delivered.
    if (controller.signal.aborted) return;
    let data: unknown;
    try {
      data = JSON.parse(message.data);
    } catch (error) {
      settings.onError(error);
      return;
    }
    try {
      // Not a plan change: the events since Last-Event-ID are lost to this client, so it starts over.
      if (message.event === 'resync') settings.onResync?.(data as ResyncInfo);
      else settings.onEvent(data as PlanEvent);
    } catch (error) {
      settings.onError(error);
    }
  });

  const run = async () => {
    let failures = 0;
    while (!controller.signal.aborted) {
      let retryAfterMs: number | undefined;
      let opened = false;
      try {
        const headers: Record<string, string> = { accept: 'text/event-stream', 'cache-control': 'no-cache' };
        if (settings.apiKey) headers.authorization = `Bearer ${settings.apiKey}`;
        if (parser.lastEventId !== undefined) headers['last-event-id'] = parser.lastEventId;
        // An event the previous connection left unfinished is dropped, as the format says.
        parser.reset();
        const response = await settings.send(settings.url, {
          method: 'GET',
          headers,
          headersTimeout: settings.timeoutMs,
          bodyTimeout: idleTimeoutMs,
          signal: controller.signal,
        });
        if (response.statusCode !== 200) {
          const text = await response.body.text();
          const failure = apiErrorFrom({ status: response.statusCode, headers: response.headers, text });
          retryAfterMs = parseRetryAfterMs(response.headers['retry-after'], Date.now());
          throw failure;
        }
        // A proxy's page (or any other 200 that is not a stream) carries no event: it is a failure, to be
        // retried with growing backoff, not an open stream whose cache revalidation and onOpen would repeat.
        const contentType = String(response.headers['content-type'] ?? '');
        if (!/^text\/event-stream\b/i.test(contentType)) {
          if (response.body.destroy === undefined) await response.body.text();
          else response.body.destroy();
          throw new CoachwireClientError(
            'INVALID_RESPONSE',
            `The event stream answered with '${contentType || 'no content-type'}', not text/event-stream`,
          );
        }
        failures = 0;
        opened = true;
        try {
          settings.onOpen?.({ resumed: headers['last-event-id'] !== undefined });
        } catch (error) {
          settings.onError(error);
        }
        const decoder = new TextDecoder();
        for await (const chunk of response.body) {
          parser.push(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
        }
      } catch (error) {
        if (controller.signal.aborted) return;
        const typed =
          error instanceof CoachwireClientError ? error : toTransportError(error, settings.timeoutMs);
        settings.onError(typed);
      }
      if (opened) settings.onClose?.();
      if (controller.signal.aborted) return;
      // A stream is never given up: a longer wait asked for (a proxy's Retry-After of an hour, say) is cut short.
      const delay = Math.min(
        retryAfterMs ?? parser.retryMs ?? backoffDelayMs(failures, settings.baseDelayMs, settings.maxDelayMs),
        settings.maxRetryAfterMs,
      );
      failures += 1;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  };
  if (subscription.clientClosed?.aborted) {
    controller.abort();
    queueMicrotask(() => settings.onError(closedError()));
  } else void run();

  const stop = () => {
    controller.abort();
    wake?.();
  };
  return Object.defineProperties(stop as Unsubscribe, {
    unsubscribe: { value: stop },
    lastEventId: { get: () => parser.lastEventId },
  });
}
