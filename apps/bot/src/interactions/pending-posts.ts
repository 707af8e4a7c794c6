import { randomBytes } from 'node:crypto';
import type { ChartInput } from '@coachwire/core';

/** What `/plan post` without text knew when it opened the form; the form's submit supplies the text. */
export interface PendingPost {
  readonly userId: string;
  readonly coach: string;
  readonly tradingDate: string | undefined;
  readonly charts: readonly ChartInput[];
}

/** Discord lets a user keep a modal open for 15 minutes; afterwards the entry is useless. */
const PENDING_TTL_MS = 15 * 60_000;
const MAX_PENDING = 1000;

/** Posts waiting for their modal submit, by a random key carried in the modal's custom id. */
export class PendingPosts {
  private readonly entries = new Map<string, PendingPost & { readonly expiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Keeps the post and returns the key for the modal's custom id. */
  add(post: PendingPost): string {
    this.evictExpired();
    if (this.entries.size >= MAX_PENDING) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    const key = randomBytes(8).toString('hex');
    this.entries.set(key, { ...post, expiresAt: this.now() + PENDING_TTL_MS });
    return key;
  }

  /** Removes and returns the post for `key` if it is the same user's and has not expired. */
  take(key: string, userId: string): PendingPost | null {
    const entry = this.entries.get(key);
    if (!entry || entry.userId !== userId) return null;
    this.entries.delete(key);
    return entry.expiresAt >= this.now() ? entry : null;
  }

  private evictExpired(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt < now) this.entries.delete(key);
  }
}
