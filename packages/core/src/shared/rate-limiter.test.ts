import { describe, expect, it } from 'vitest';
import { SlidingWindowRateLimiter } from './rate-limiter.js';

describe('SlidingWindowRateLimiter memory', () => {
  it('forgets users idle for a whole window, so memory follows active users, not everyone ever seen', () => {
    let now = 0;
    const limiter = new SlidingWindowRateLimiter({ max: 3, windowMs: 60_000 }, { now: () => now });
    for (let user = 0; user < 1000; user++) limiter.consume(`user:${user}`);
    expect(limiter.trackedKeys).toBe(1000);

    now = 30_000;
    limiter.consume('user:0');
    // Within the window nobody is forgotten.
    expect(limiter.trackedKeys).toBe(1000);

    now = 60_500;
    limiter.consume('user:1');
    // user:0 acted at 30 s and is still inside the window, user:1 just acted; the 998 idle since 0 s are gone.
    expect(limiter.trackedKeys).toBe(2);
  });

  it('still limits a user whose hits are inside the window after a sweep', () => {
    let now = 0;
    const limiter = new SlidingWindowRateLimiter({ max: 2, windowMs: 10_000 }, { now: () => now });
    limiter.consume('idle');
    now = 6_000;
    limiter.consume('busy');
    now = 9_000;
    limiter.consume('busy');
    now = 10_500;
    expect(() => limiter.consume('busy')).toThrow(/Try again in 6 s/);
    expect(limiter.trackedKeys).toBe(1);
  });
});
