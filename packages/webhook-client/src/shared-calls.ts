/** One request shared by every caller that asked for the same key while it was in flight. */
interface SharedCall<T> {
  readonly promise: Promise<T>;
  /** Cancels the request; absent when a caller without a signal started it (nothing could end it anyway). */
  readonly controller: AbortController | undefined;
  /** Callers still waiting that could give up; a caller without a signal never does, so it holds it for good. */
  waiting: number;
}

/**
 * Request coalescing with per-caller cancellation. Callers of the same key share one request; a caller whose
 * signal aborts stops waiting (rejecting with its signal's reason) without disturbing the others, and the
 * request itself is cancelled only once every caller has given up. A cancelled request is forgotten at once,
 * so the next caller starts a fresh one instead of joining a request that is being torn down.
 */
export class SharedCalls<T> {
  readonly #inflight = new Map<string, SharedCall<T>>();
  readonly #onJoin: () => void;

  /** `onJoin` is called each time a caller joins a request already in flight (the `coalesced` counter). */
  constructor(onJoin: () => void) {
    this.#onJoin = onJoin;
  }

  /**
   * Joins the request in flight for `key`, or starts one with `start`, which gets the signal that cancels it
   * (undefined when the caller starting it cannot cancel). `signal` ends this caller's wait only.
   */
  run(
    key: string,
    start: (signal: AbortSignal | undefined) => Promise<T>,
    signal: AbortSignal | undefined,
  ): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    let call = this.#inflight.get(key);
    if (call === undefined) {
      const controller = signal === undefined ? undefined : new AbortController();
      const started: SharedCall<T> = { promise: start(controller?.signal), controller, waiting: 0 };
      this.#inflight.set(key, started);
      const release = () => this.#forget(key, started);
      started.promise.then(release, release);
      call = started;
    } else {
      this.#onJoin();
    }
    if (signal === undefined) {
      // Nothing can end this caller's wait, so the request must run to its end.
      call.waiting = Number.POSITIVE_INFINITY;
      return call.promise;
    }
    call.waiting += 1;
    return this.#wait(key, call, signal);
  }

  /** Forgets the requests in flight: later callers start new ones (those waiting still get their answers). */
  clear(): void {
    this.#inflight.clear();
  }

  #wait(key: string, call: SharedCall<T>, signal: AbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const giveUp = () => {
        call.waiting -= 1;
        if (call.waiting === 0) {
          this.#forget(key, call);
          call.controller?.abort(signal.reason);
        }
        reject(signal.reason);
      };
      signal.addEventListener('abort', giveUp, { once: true });
      call.promise.then(
        (value) => {
          signal.removeEventListener('abort', giveUp);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', giveUp);
          reject(error);
        },
      );
    });
  }

  /** Only its own entry: an invalidation may have dropped it, and a later caller put its own there. */
  #forget(key: string, call: SharedCall<T>): void {
    if (this.#inflight.get(key) === call) this.#inflight.delete(key);
  }
}
