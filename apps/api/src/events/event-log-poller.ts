import type { EventLogReader, LoggedEvent } from '@coachwire/core';
import type { StoreEventLog } from '@coachwire/storage';

/** Receives each batch of new events (every domain), oldest first. */
export type EventLogListener = (events: readonly LoggedEvent[]) => void;

/** The log the poller reads; `onAppend` when the backend can wake it (PostgreSQL's LISTEN/NOTIFY). */
export type PolledEventLog = EventLogReader & Partial<Pick<StoreEventLog, 'onAppend'>>;

const PAGE_SIZE = 500;

/**
 * The one poller of the event log (plans, markets, points) for the whole process. The bot is another process,
 * so the log is the only way to learn of its changes; one poller serves every SSE stream, the response caches
 * and the market metrics. Where the backend announces appends (PostgreSQL, whose other API instances write
 * too), each announcement polls at once; the timed poll stays as the safety net, and is all SQLite has.
 */
export class EventLogPoller {
  private lastSeenId = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private requested: Promise<void> | undefined;
  private stopped = true;
  private failing = false;
  private readonly listeners = new Set<EventLogListener>();
  private stopWakeUps: (() => Promise<void>) | undefined;

  constructor(
    private readonly eventLog: PolledEventLog,
    private readonly intervalMs: number,
    private readonly onPollError: (error: unknown) => void,
  ) {}

  /** The id of the newest event delivered to listeners. */
  get position(): number {
    return this.lastSeenId;
  }

  /** Whether appends by any process wake this poller (false: it learns of them on its timed poll only). */
  get wokenByAppends(): boolean {
    return this.stopWakeUps !== undefined;
  }

  /**
   * Starts from the newest event in the table (nothing old is delivered), then polls every interval, and on
   * every wake-up from the backend.
   */
  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    try {
      this.lastSeenId = await this.eventLog.latestEventId();
    } catch (error) {
      this.onPollError(error);
    }
    await this.listenForAppends();
    this.schedule();
  }

  /** Stops polling and listening; resolves once an in-flight poll has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const stopWakeUps = this.stopWakeUps;
    this.stopWakeUps = undefined;
    await stopWakeUps?.().catch((error: unknown) => this.onPollError(error));
    await this.requested;
    await this.running;
  }

  subscribe(listener: EventLogListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Polls at the end of this turn of the event loop (e.g. right after this process wrote) instead of waiting
   * for the next tick. Every request made before that poll starts shares it, so a burst of writes reads the
   * log once, not once per write; and it starts only after a poll in flight has finished, so it always reads
   * after the write that asked for it.
   */
  pollNow(): Promise<void> {
    this.requested ??= this.afterRunningPoll().then(() => {
      this.requested = undefined;
      this.running = this.poll().finally(() => {
        this.running = undefined;
      });
      return this.running;
    });
    return this.requested;
  }

  private async afterRunningPoll(): Promise<void> {
    await this.running;
    await new Promise((resolve) => setImmediate(resolve));
  }

  /**
   * Subscribes after reading the start position, so a wake-up never polls from before it; then polls once, for
   * what was appended between that read and LISTEN. Without wake-ups (SQLite, or the backend refused) the
   * timed poll carries on alone.
   */
  private async listenForAppends(): Promise<void> {
    if (!this.eventLog.onAppend) return;
    try {
      const unsubscribe = await this.eventLog.onAppend(() => {
        if (!this.stopped) void this.pollNow();
      });
      if (this.stopped) await unsubscribe();
      else this.stopWakeUps = unsubscribe;
    } catch (error) {
      this.onPollError(error);
      return;
    }
    if (this.stopWakeUps) void this.pollNow();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.pollNow().finally(() => this.schedule());
    }, this.intervalMs);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    try {
      for (;;) {
        const events = await this.eventLog.eventsAfter(this.lastSeenId, PAGE_SIZE);
        if (events.length === 0) break;
        this.lastSeenId = events[events.length - 1]!.id;
        for (const listener of this.listeners) listener(events);
        if (events.length < PAGE_SIZE || this.stopped) break;
        // A burst of thousands of events is read a page per turn of the event loop, not in one run.
        await new Promise((resolve) => setImmediate(resolve));
      }
      this.failing = false;
    } catch (error) {
      // Report once per outage, not on every tick.
      if (!this.failing) this.onPollError(error);
      this.failing = true;
    }
  }
}
