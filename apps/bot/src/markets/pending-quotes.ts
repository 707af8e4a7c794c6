import { randomBytes } from 'node:crypto';

/** A trade a member was quoted and may confirm: a buy with its minimum shares, or a sell with its minimum points. */
export type QuotedTrade =
  | {
      readonly kind: 'buy';
      readonly marketId: number;
      readonly option: number;
      readonly points: number;
      readonly minShares: number;
    }
  | {
      readonly kind: 'sell';
      readonly marketId: number;
      readonly option: number;
      readonly shares: number;
      readonly minPoints: number;
    };

interface Entry {
  readonly userId: string;
  readonly trade: QuotedTrade;
  readonly expiresAt: number;
  state: 'open' | 'placing' | 'done';
}

/** How long a quote may be confirmed (the 60 s): after that the price is not promised any more. */
export const QUOTE_TTL_MS = 60_000;
const MAX_QUOTES = 10_000;

/** What confirming a quote found. */
export type QuoteClaim =
  | { readonly status: 'claimed'; readonly trade: QuotedTrade }
  | { readonly status: 'expired' | 'unknown' | 'used' };

/**
 * Quotes waiting for Confirm, by a random key carried in the buttons' custom ids. Claiming is atomic in this
 * process, so a double click finds the quote already being placed and never bets twice; the interaction id
 * as idempotency key covers a click delivered twice.
 */
export class PendingQuotes {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number) {}

  /** Keeps a quote for `userId` and returns its key. */
  add(userId: string, trade: QuotedTrade): { key: string; expiresAt: number } {
    this.evict();
    const key = randomBytes(8).toString('hex');
    const expiresAt = this.now() + QUOTE_TTL_MS;
    this.entries.set(key, { userId, trade, expiresAt, state: 'open' });
    return { key, expiresAt };
  }

  /** Takes the quote for placing; only its owner may, once, before it expires. */
  claim(key: string, userId: string): QuoteClaim {
    const entry = this.entries.get(key);
    if (!entry || entry.userId !== userId) return { status: 'unknown' };
    if (entry.state !== 'open') return { status: 'used' };
    if (entry.expiresAt < this.now()) {
      entry.state = 'done';
      return { status: 'expired' };
    }
    entry.state = 'placing';
    return { status: 'claimed', trade: entry.trade };
  }

  /** Gives a claimed quote back (the member was rate limited before anything was tried). */
  release(key: string): void {
    const entry = this.entries.get(key);
    if (entry?.state === 'placing') entry.state = 'open';
  }

  /** Marks a quote used (placed, refused or cancelled): further clicks find it used. */
  finish(key: string, userId: string): void {
    const entry = this.entries.get(key);
    if (entry && entry.userId === userId) entry.state = 'done';
  }

  private evict(): void {
    const now = this.now();
    // Used and expired quotes are kept a little longer so a late double click still reads "already used".
    for (const [key, entry] of this.entries)
      if (entry.expiresAt + QUOTE_TTL_MS < now) this.entries.delete(key);
    while (this.entries.size >= MAX_QUOTES) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}
