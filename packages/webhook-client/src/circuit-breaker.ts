import type { Clock } from './options.js';

export type CircuitState = 'closed' | 'open' | 'half-open';

/**
 * Consecutive-failure breaker. While open every call is refused; after the cool-down exactly one
 * trial call is let through (half-open), and its outcome closes or re-opens the circuit.
 */
export class CircuitBreaker {
  #state: CircuitState = 'closed';
  #consecutiveFailures = 0;
  #lastFailure: string | undefined;
  #openedAt = 0;
  #trialInFlight = false;
  readonly #failureThreshold: number;
  readonly #cooldownMs: number;
  readonly #clock: Clock;
  readonly #onStateChange: (state: CircuitState) => void;

  constructor(
    failureThreshold: number,
    cooldownMs: number,
    clock: Clock,
    onStateChange: (state: CircuitState) => void,
  ) {
    this.#failureThreshold = failureThreshold;
    this.#cooldownMs = cooldownMs;
    this.#clock = clock;
    this.#onStateChange = onStateChange;
  }

  get state(): CircuitState {
    if (this.#state === 'open' && this.#clock.now() >= this.retryAt) return 'half-open';
    return this.#state;
  }

  /** Epoch ms at which an open circuit lets a trial through. */
  get retryAt(): number {
    return this.#openedAt + this.#cooldownMs;
  }

  /** True when the caller may send a request now; in half-open only the first caller gets true. */
  tryAcquire(): boolean {
    if (this.#state === 'closed') return true;
    if (this.#state === 'open') {
      if (this.#clock.now() < this.retryAt) return false;
      this.#transition('half-open');
    }
    if (this.#trialInFlight) return false;
    this.#trialInFlight = true;
    return true;
  }

  /** The server answered (any status below 500): it is up. */
  recordSuccess(): void {
    this.#consecutiveFailures = 0;
    this.#trialInFlight = false;
    if (this.#state !== 'closed') this.#transition('closed');
  }

  /** What the last failure was, for the error that says the circuit is open (no secrets: no key, no body). */
  get lastFailure(): string | undefined {
    return this.#lastFailure;
  }

  /** Network error, timeout or 5xx; `reason` says which. */
  recordFailure(reason: string): void {
    this.#lastFailure = reason;
    this.#consecutiveFailures += 1;
    this.#trialInFlight = false;
    if (this.#state === 'half-open' || this.#consecutiveFailures >= this.#failureThreshold) {
      this.#openedAt = this.#clock.now();
      if (this.#state !== 'open') this.#transition('open');
    }
  }

  /** A trial that ended without saying anything about the server (e.g. aborted) frees the slot. */
  releaseTrial(): void {
    this.#trialInFlight = false;
  }

  #transition(state: CircuitState): void {
    this.#state = state;
    this.#onStateChange(state);
  }
}
