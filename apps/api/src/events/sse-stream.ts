import type { ServerResponse } from 'node:http';
import type { PlanEvent, PlanEventLog } from '@coachwire/core';
import { eventFrame } from '../presenters/event-json.js';

const REPLAY_PAGE_SIZE = 500;
// A client this far behind is not reading; dropping it protects the process's memory.
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** One open `text/event-stream` response and how far it has been sent. */
export class SseStream {
  private lastSentId = 0;
  private pending: PlanEvent[] | undefined = [];
  private closed = false;

  constructor(private readonly response: ServerResponse) {
    response.once('close', () => {
      this.closed = true;
    });
  }

  get isClosed(): boolean {
    return this.closed || this.response.destroyed;
  }

  /**
   * Sends what happened after `lastEventId` (or nothing old when null), then whatever the poller delivered
   * meanwhile, in order and without duplicates. Until this resolves, live events are held back.
   */
  async catchUp(eventLog: PlanEventLog, lastEventId: number | null): Promise<void> {
    if (lastEventId === null) {
      this.lastSentId = await eventLog.latestEventId();
    } else {
      this.lastSentId = lastEventId;
      for (;;) {
        const events = await eventLog.eventsAfter(this.lastSentId, REPLAY_PAGE_SIZE);
        this.writeEvents(events);
        if (events.length < REPLAY_PAGE_SIZE || this.isClosed) break;
      }
    }
    const held = this.pending ?? [];
    this.pending = undefined;
    this.writeEvents(held);
  }

  /** Called by the hub with each batch the poller found. */
  deliver(events: readonly PlanEvent[]): void {
    if (this.pending) this.pending.push(...events);
    else this.writeEvents(events);
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

  private writeEvents(events: readonly PlanEvent[]): void {
    for (const event of events) {
      if (event.id <= this.lastSentId) continue;
      this.lastSentId = event.id;
      this.write(eventFrame(event));
    }
  }

  private write(chunk: string): void {
    if (this.isClosed) return;
    this.response.write(chunk);
    if (this.response.writableLength > MAX_BUFFERED_BYTES) this.response.destroy();
  }
}
