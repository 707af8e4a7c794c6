import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import { RateLimitedError } from './errors.js';

export interface RateLimit {
  readonly max: number;
  readonly windowMs: number;
}

/**
 * Sliding-window limiter: at most `max` hits per key in any `windowMs`.
 * Keeps only the timestamps inside the window, and once per window sweeps out every key that has been idle
 * for a whole window, so memory is bounded by max × keys active in the last two windows, not by every user
 * ever seen.
 */
export class SlidingWindowRateLimiter {
  private readonly hits = new Map<string, number[]>();
  private lastSweep = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly limit: RateLimit,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Milliseconds until `key` may act again (0 when it may act now); does not record a hit. */
  waitTime(key: string): number {
    const now = this.clock.now();
    this.sweepIdleKeys(now);
    const recent = this.prune(key, now);
    if (recent.length < this.limit.max) return 0;
    return recent[recent.length - this.limit.max]! + this.limit.windowMs - now;
  }

  /** Records a hit for `key`, or throws RATE_LIMITED with the time to wait. */
  consume(key: string, label = 'You are'): void {
    const wait = this.waitTime(key);
    if (wait > 0) {
      const seconds = Math.max(1, Math.ceil(wait / 1000));
      throw new RateLimitedError(`${label} sending commands too fast. Try again in ${seconds} s.`, wait);
    }
    const now = this.clock.now();
    const recent = this.hits.get(key) ?? [];
    recent.push(now);
    this.hits.set(key, recent);
  }

  /** How many keys are remembered (for tests and metrics). */
  get trackedKeys(): number {
    return this.hits.size;
  }

  private sweepIdleKeys(now: number): void {
    if (now - this.lastSweep < this.limit.windowMs) return;
    this.lastSweep = now;
    const cutoff = now - this.limit.windowMs;
    // A key's newest hit is its last timestamp: when that is outside the window, so are all the others.
    for (const [key, recent] of this.hits) if ((recent.at(-1) ?? cutoff) <= cutoff) this.hits.delete(key);
  }

  private prune(key: string, now: number): number[] {
    const recent = this.hits.get(key);
    if (!recent) return [];
    const cutoff = now - this.limit.windowMs;
    let firstInside = 0;
    while (firstInside < recent.length && recent[firstInside]! <= cutoff) firstInside++;
    if (firstInside > 0) recent.splice(0, firstInside);
    if (recent.length === 0) this.hits.delete(key);
    return recent;
  }
}
