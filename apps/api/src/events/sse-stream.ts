import type { ServerResponse } from 'node:http';
import type { EventLogReader, LoggedEvent } from '@coachwire/core';
import { eventFrame, type ResyncReason, resyncFrame } from '../presenters/event-json.js';
import { type EventFilter, PLAN_EVENTS } from './event-filter.js';
import type { ReplayScheduler } from './replay-scheduler.js';

/** Events read per replay step; the scheduler runs a few steps per turn of the event loop, never a whole replay. */
const REPLAY_BATCH_SIZE = 100;
// Past this much unsent output a replay waits for the client to read ('drain') before reading more.
const REPLAY_HIGH_WATER_BYTES = 64 * 1024;
// A live client this far behind is not reading; dropping it protects the process's memory. Queued frames cost
// two to three times their bytes (each write is its own chunk), and the kernel's socket buffers already hold
// megabytes more, so 1 MB queued here is a client that stopped reading long ago.
const MAX_BUFFERED_BYTES = 1024 * 1024;

/** How a stream starts: nothing old (null), or a replay after `lastEventId` of at most `replayMax` events. */
export interface CatchUpOptions {
  readonly lastEventId: number | null;
  readonly replayMax: number;
  readonly scheduler: ReplayScheduler;
}

/** One open `text/event-stream` response and how far it has been sent. */
export class SseStream {
  private lastSentId = 0;
  private pending: LoggedEvent[] | undefined = [];
  private closed = false;

  /**
   * @param maxPending live events held while catching up (a replay waits for a client that does not read); one
   *   more closes the stream. The client's reconnect with its Last-Event-ID then replays or resyncs.
   */
  constructor(
    private readonly response: ServerResponse,
    private readonly filter: EventFilter = PLAN_EVENTS,
    private readonly maxPending = Number.POSITIVE_INFINITY,
  ) {
    response.once('close', () => {
      this.closed = true;
    });
  }

  get isClosed(): boolean {
    return this.closed || this.response.destroyed;
  }

  /**
   * Sends what happened after `lastEventId` (or nothing old when null), then whatever the poller delivered
   * meanwhile, in order and without duplicates. Until this resolves, live events are held back. A replay
   * that would reach past `replayMax` events, past what pruning kept, or past the newest event sends one
   * `resync` event instead and goes on live from the newest event. Stops as soon as the client is gone.
   */
  async catchUp(eventLog: EventLogReader, options: CatchUpOptions): Promise<void> {
    const latest = await eventLog.latestEventId();
    const { lastEventId } = options;
    if (lastEventId === null) {
      this.lastSentId = latest;
    } else {
      const reason = await resyncReason(eventLog, lastEventId, latest, options.replayMax, this.filter);
      if (reason === undefined) await this.replay(eventLog, lastEventId, latest, options.scheduler);
      else {
        this.lastSentId = latest;
        this.write(resyncFrame(latest, reason));
      }
    }
    if (this.isClosed) {
      this.pending = undefined;
      return;
    }
    const held = this.pending ?? [];
    this.pending = undefined;
    this.writeEvents(held);
  }

  /** Called by the hub with each batch the poller found. */
  deliver(events: readonly LoggedEvent[]): void {
    if (!this.pending) {
      this.writeEvents(events);
      return;
    }
    this.pending.push(...events);
    if (this.pending.length > this.maxPending) {
      this.pending = [];
      this.response.destroy();
    }
  }

  /** A comment line that keeps proxies from closing an idle connection. */
  ping(): void {
    this.write(': ping\n\n');
  }

  /** Ends the response (shutdown). */
  end(): void {
    if (this.isClosed) return;
    this.closed = true;
    this.response.end();
  }

  // Up to `latest` only: what came later arrives through the poller, which holds it in `pending` meanwhile.
  private async replay(
    eventLog: EventLogReader,
    lastEventId: number,
    latest: number,
    scheduler: ReplayScheduler,
  ): Promise<void> {
    this.lastSentId = lastEventId;
    while (this.lastSentId < latest) {
      await scheduler.nextStep();
      if (this.isClosed) return;
      if (this.response.writableLength > REPLAY_HIGH_WATER_BYTES) await this.drained();
      if (this.isClosed) return;
      // Only the filter's domains are read: a plan stream never pages through a flood of trades.
      const events = await eventLog.eventsAfter(this.lastSentId, REPLAY_BATCH_SIZE, this.filter.domains);
      const replayed = events.filter((event) => event.id <= latest);
      this.writeEvents(replayed);
      if (replayed.length < REPLAY_BATCH_SIZE) return;
    }
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.response.off('drain', done);
        this.response.off('close', done);
        resolve();
      };
      this.response.once('drain', done);
      this.response.once('close', done);
    });
  }

  // The position moves past events the filter drops too, so a replay and the live feed never overlap.
  private writeEvents(events: readonly LoggedEvent[]): void {
    for (const event of events) {
      if (event.id <= this.lastSentId) continue;
      this.lastSentId = event.id;
      if (this.filter.accepts(event)) this.write(eventFrame(event));
    }
  }

  private write(chunk: string): void {
    if (this.isClosed) return;
    this.response.write(chunk);
    if (this.response.writableLength > MAX_BUFFERED_BYTES) this.response.destroy();
  }
}

/** Why a replay after `lastEventId` cannot be served from the log, or undefined when it can. */
async function resyncReason(
  eventLog: EventLogReader,
  lastEventId: number,
  latest: number,
  replayMax: number,
  filter: EventFilter,
): Promise<ResyncReason | undefined> {
  if (lastEventId > latest) return 'unknown_event_id';
  if (lastEventId === latest) return undefined;
  // The cap counts the events of the stream's domains: trades do not push a plan stream into a resync.
  if (latest - lastEventId > replayMax) {
    if ((await eventLog.countBetween(lastEventId, latest, filter.domains)) > replayMax) return 'replay_limit';
  }
  // Ids never repeat and pruning removes the oldest: a gap before the oldest left means events were pruned.
  const [oldest] = await eventLog.eventsAfter(0, 1);
  if (oldest !== undefined && oldest.id > lastEventId + 1) return 'pruned';
  return undefined;
}
