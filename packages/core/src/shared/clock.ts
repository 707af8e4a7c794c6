/**
 * The current time in epoch milliseconds, as `Date.now()` gives it (and as the webhook client's own Clock
 * does); tests inject a fixed one.
 */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
