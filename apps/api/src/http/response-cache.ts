import { weakEtag } from './etag.js';

/** A serialized response body and its entity tag. */
export interface RenderedBody {
  readonly body: string;
  readonly etag: string;
}

interface Entry extends RenderedBody {
  readonly expiresAt: number;
  /** The data version the body was rendered at, for entries that are checked against one. */
  readonly version: number | undefined;
}

/**
 * Serialized bodies of the hottest reads (the legacy plan endpoints TradingAgents polls), so a repeated
 * GET costs a map lookup instead of queries, serialization and hashing. Entries are dropped whenever the
 * event poller sees a plan change (from this process or the bot), and after `ttlMs` as a safety net.
 * An entry stored with a data version (the event log's high-water mark, which every write of any process
 * moves) is found only by a read that passes the same version, so it is never older than the database.
 */
export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  private currentGeneration = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly ttlMs: number,
    /** The app's clock (epoch ms): an entry's life is measured on the clock its answers were computed with. */
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether caching is on (`cache.ttl_seconds` and `cache.max_size` both above 0). */
  get enabled(): boolean {
    return this.maxEntries > 0 && this.ttlMs > 0;
  }

  /** The fresh entry for `key`, if any; with `version`, only an entry rendered at that version. */
  get(key: string, version?: number): RenderedBody | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined || entry.version !== version) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Bumped by every clear; a body read before a clear must not be stored after it. */
  get generation(): number {
    return this.currentGeneration;
  }

  /**
   * Stores a serialized body and returns it with its ETag. `readAt` is the generation when the data was
   * read: if a change arrived meanwhile the body is returned but not kept. `version`, when given, is the
   * data version read before the data (so the body is at least that new). `until`, when given, is the
   * moment (epoch ms) the clock alone changes the answer (a market shown open closes then): the entry is
   * not kept past it, however long the TTL.
   */
  set(key: string, body: string, readAt: number, version?: number, until?: number): RenderedBody {
    const expiresAt = Math.min(this.now() + this.ttlMs, until ?? Number.POSITIVE_INFINITY);
    const entry: Entry = { body, etag: weakEtag(body), expiresAt, version };
    if (!this.enabled || readAt !== this.currentGeneration) return entry;
    if (this.entries.size >= this.maxEntries && !this.entries.has(key)) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, entry);
    return entry;
  }

  /** Forgets everything; called on every plan change. */
  clear(): void {
    this.currentGeneration++;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
