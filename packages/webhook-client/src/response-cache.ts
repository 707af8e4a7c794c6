/** One cached answer; `settled` is a pre-resolved promise so a hit allocates nothing. */
export interface CacheEntry<T> {
  value: T;
  settled: Promise<T>;
  etag: string | undefined;
  /** Epoch ms after which the entry must be revalidated before it is served as fresh. */
  expiresAt: number;
}

/**
 * TTL + LRU cache over a Map: Map iteration order is insertion order, so re-inserting on a hit
 * moves a key to the young end and the first key is always the least recently used.
 */
export class ResponseCache<T> {
  readonly #entries = new Map<string, CacheEntry<T>>();
  readonly #maxEntries: number;

  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The entry whatever its age (callers decide between fresh, revalidate and stale-if-error). */
  peek(key: string): CacheEntry<T> | undefined {
    return this.#entries.get(key);
  }

  /** Marks an entry as most recently used. */
  touch(key: string, entry: CacheEntry<T>): void {
    this.#entries.delete(key);
    this.#entries.set(key, entry);
  }

  set(key: string, value: T, etag: string | undefined, expiresAt: number): CacheEntry<T> {
    const entry: CacheEntry<T> = { value, settled: Promise.resolve(value), etag, expiresAt };
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
    return entry;
  }

  /** The keys, oldest first. */
  keys(): string[] {
    return [...this.#entries.keys()];
  }

  delete(key: string): boolean {
    return this.#entries.delete(key);
  }

  /** Marks every entry as past its TTL (next read revalidates it) and says how many there were. */
  expireAll(): number {
    for (const entry of this.#entries.values()) entry.expiresAt = 0;
    return this.#entries.size;
  }

  /** Empties the cache and says how many entries were dropped. */
  clear(): number {
    const count = this.#entries.size;
    this.#entries.clear();
    return count;
  }
}
