import type { EventEmitter } from 'node:events';
import type { WaitOptions } from './call-recorder.js';

/** Resolves once `done()` holds, re-checking on each `event`; rejects after `timeoutMs` (default 10 s). */
export function waitUntil(
  emitter: EventEmitter,
  event: string,
  done: () => boolean,
  options: WaitOptions = {},
): Promise<void> {
  if (done()) return Promise.resolve();
  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!done()) return;
      clearTimeout(timer);
      emitter.off(event, check);
      resolve();
    };
    const timer = setTimeout(() => {
      emitter.off(event, check);
      reject(new Error(`'${event}' condition not met within ${timeoutMs} ms`));
    }, timeoutMs);
    emitter.on(event, check);
  });
}
