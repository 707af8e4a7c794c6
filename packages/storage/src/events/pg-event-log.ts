import { EVENT_LOG_DOMAINS, type EventLogDomain, type LoggedEvent } from '@coachwire/core';
import { and, asc, count, sql } from 'drizzle-orm';
import type pg from 'pg';
import type { StoreEventLog } from '../ports.js';
import type { PgHandle } from '../postgres/pg-database.js';
import type { EventLogPruneOptions } from './event-log-pruning.js';
import { toLoggedEvent } from './event-rows.js';
import { EVENTS_CHANNEL } from './pg-event-append.js';
import { events } from './pg-event-schema.js';

/** Rows deleted per statement, as in SQLite's pruning: short transactions that never hold writers up long. */
const PRUNE_BATCH_SIZE = 2000;
/** Waits before re-opening a dropped LISTEN connection: quick at first, then at most every 5 s. */
const RECONNECT_DELAYS_MS = [100, 500, 1000, 2000, 5000];

const inDomains = (domains: readonly EventLogDomain[]) =>
  sql`${events.domain} = any(${sql.param(domains)}::text[])`;

/**
 * The event log of every domain over PostgreSQL: reading for server-sent events, retention pruning, and
 * wake-ups. The table is the source of truth; `onAppend` only says "read again", through LISTEN on one
 * dedicated connection (outside the pool, so it never takes a pool slot) that every appender NOTIFYs at
 * commit (events/pg-event-append.ts).
 */
export class PgEventLog implements StoreEventLog {
  readonly #handle: PgHandle;
  readonly #listeners = new Set<() => void>();
  #listenClient: pg.Client | undefined;
  #connecting: Promise<void> | undefined;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #failures = 0;
  #closed = false;

  constructor(handle: PgHandle) {
    this.#handle = handle;
  }

  async eventsAfter(
    afterId: number,
    limit: number,
    domains?: readonly EventLogDomain[],
  ): Promise<LoggedEvent[]> {
    try {
      const rows = await this.#handle.db
        .select()
        .from(events)
        .where(and(inDomains(domains ?? EVENT_LOG_DOMAINS), sql`${events.id} > ${afterId}`))
        .orderBy(asc(events.id))
        .limit(limit);
      return rows.map(toLoggedEvent);
    } catch (error) {
      throw this.#handle.toError('read', error);
    }
  }

  async latestEventId(): Promise<number> {
    try {
      // Every cached API answer asks this first: a named statement (parsed and planned once per
      // connection) reading the primary key's last entry.
      const { rows } = await this.#handle.pool.query<{ id: number }>({
        name: 'coachwire_latest_event_id',
        text: 'SELECT coalesce(max(id), 0) AS id FROM events',
      });
      return Number(rows[0]?.id ?? 0);
    } catch (error) {
      throw this.#handle.toError('read', error);
    }
  }

  async countBetween(afterId: number, upToId: number, domains: readonly EventLogDomain[]): Promise<number> {
    try {
      const [row] = await this.#handle.db
        .select({ n: count() })
        .from(events)
        .where(and(inDomains(domains), sql`${events.id} > ${afterId}`, sql`${events.id} <= ${upToId}`));
      return row?.n ?? 0;
    } catch (error) {
      throw this.#handle.toError('read', error);
    }
  }

  /**
   * Deletes old events by age and count, never one of the newest `keepNewest`, oldest first in batches.
   * Identity ids are never reused, so a client whose Last-Event-ID was pruned is told to resync, as on SQLite.
   */
  async prune(options: EventLogPruneOptions): Promise<number> {
    const cutoff = new Date(options.now.getTime() - options.maxAgeDays * 86_400_000).toISOString();
    const { pool } = this.#handle;
    try {
      // The id of the n-th newest event; everything below it is outside the newest n (0 when there are fewer).
      const boundary = async (n: number) => {
        const { rows } = await pool.query<{ id: number }>(
          'SELECT id FROM events ORDER BY id DESC LIMIT 1 OFFSET $1',
          [Math.max(0, n - 1)],
        );
        return rows[0]?.id ?? 0;
      };
      const protectedFrom = await boundary(options.keepNewest);
      const countFrom = await boundary(options.maxEvents);
      let deleted = 0;
      for (;;) {
        const { rowCount } = await pool.query(
          `DELETE FROM events WHERE id IN (
             SELECT id FROM events
             WHERE id < $1 AND (id < $2 OR occurred_at < $3)
             ORDER BY id LIMIT $4)`,
          [protectedFrom, countFrom, cutoff, PRUNE_BATCH_SIZE],
        );
        deleted += rowCount ?? 0;
        if ((rowCount ?? 0) < PRUNE_BATCH_SIZE) return deleted;
      }
    } catch (error) {
      throw this.#handle.toError('prune events', error);
    }
  }

  /**
   * Calls `listener` after any process commits events. The first subscriber opens the LISTEN connection (and
   * waits for it, so no append after this resolves is missed); the last unsubscribe closes it. If the
   * connection drops it is re-opened, and every listener is called once then, for what it may have missed.
   */
  async onAppend(listener: () => void): Promise<() => Promise<void>> {
    if (this.#closed) throw this.#handle.toError('listen on', new Error('the event log is closed'));
    this.#listeners.add(listener);
    try {
      await this.#ensureListening();
    } catch (error) {
      this.#listeners.delete(listener);
      throw this.#handle.toError('listen on', error);
    }
    return async () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) await this.#stopListening();
    };
  }

  /** Closes the LISTEN connection for good (the store's close()). */
  async close(): Promise<void> {
    this.#closed = true;
    this.#listeners.clear();
    await this.#stopListening();
  }

  #ensureListening(): Promise<void> {
    if (this.#listenClient) return Promise.resolve();
    this.#connecting ??= this.#listen().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  async #listen(): Promise<void> {
    const client = this.#handle.newClient();
    client.on('notification', () => this.#wake());
    // A dropped connection emits 'error' (then 'end'); without a listener it would crash the process.
    client.on('error', (error) => this.#dropped(client, error));
    client.on('end', () => this.#dropped(client, new Error('connection ended')));
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw error;
    }
    this.#listenClient = client;
    this.#failures = 0;
  }

  #wake(): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener();
      } catch (error) {
        this.#handle.logger?.warn({ reason: (error as Error).message }, 'event log listener failed');
      }
    }
  }

  #dropped(client: pg.Client, error: Error): void {
    if (this.#listenClient !== client) return;
    this.#listenClient = undefined;
    client.removeAllListeners('end');
    client.end().catch(() => undefined);
    if (this.#closed || this.#listeners.size === 0) return;
    this.#handle.logger?.warn(
      { database: this.#handle.location, reason: this.#handle.toError('listen on', error).message },
      'event notifications lost; reconnecting',
    );
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    if (this.#reconnectTimer || this.#closed) return;
    const delay = RECONNECT_DELAYS_MS[Math.min(this.#failures, RECONNECT_DELAYS_MS.length - 1)]!;
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined;
      if (this.#closed || this.#listeners.size === 0) return;
      this.#ensureListening().then(
        // Events appended while the connection was down sent no notification that reached us.
        () => this.#wake(),
        () => {
          this.#failures += 1;
          this.#scheduleReconnect();
        },
      );
    }, delay);
    // Reconnecting must not keep a process alive that has nothing else to do.
    this.#reconnectTimer.unref();
  }

  async #stopListening(): Promise<void> {
    if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    await this.#connecting?.catch(() => undefined);
    const client = this.#listenClient;
    this.#listenClient = undefined;
    if (!client) return;
    client.removeAllListeners('end');
    await client.end().catch(() => undefined);
  }
}
