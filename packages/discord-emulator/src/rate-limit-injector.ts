import { UpcomingRequests } from './upcoming-requests.js';

/** Options of an injected rate limit. */
export interface RateLimitOptions {
  /** Seconds the client is told to wait (fractions allowed; keep small in tests). */
  retryAfterSeconds?: number;
  /** Only requests whose route template equals this are limited, e.g. 'POST /channels/:channelId/messages'. */
  route?: string;
}

/** Answers chosen upcoming REST requests with 429, as Discord does when a bucket is empty. */
export class RateLimitInjector {
  private readonly upcoming = new UpcomingRequests<number>();

  add(count: number, options: RateLimitOptions): void {
    this.upcoming.add(count, options.route, options.retryAfterSeconds ?? 1);
  }

  /** If this request should be limited, consumes one and returns the 429 headers and body. */
  take(route: string): { headers: Record<string, string>; body: unknown } | null {
    const retryAfter = this.upcoming.take(route);
    if (retryAfter === undefined) return null;
    // No X-RateLimit-Global header: this is a per-route (bucket) limit, so discord.js waits and retries.
    return {
      headers: {
        'retry-after': String(retryAfter),
        'x-ratelimit-limit': '5',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Date.now() / 1000 + retryAfter),
        'x-ratelimit-reset-after': String(retryAfter),
        'x-ratelimit-bucket': `emulated-${route.replace(/\W+/g, '-')}`,
        'x-ratelimit-scope': 'user',
      },
      body: { message: 'You are being rate limited.', retry_after: retryAfter, global: false },
    };
  }
}
