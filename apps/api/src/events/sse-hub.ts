import type { LoggedEvent } from '@coachwire/core';
import type { EventLogPoller } from './event-log-poller.js';
import type { SseStream } from './sse-stream.js';

/** Every open event stream: bounded in number, fed by the shared poller, pinged on one shared timer. */
export class SseHub {
  private readonly streams = new Set<SseStream>();
  private reserved = 0;
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly unsubscribe: () => void;

  constructor(
    poller: EventLogPoller,
    private readonly maxStreams: number,
    private readonly heartbeatMs: number,
  ) {
    this.unsubscribe = poller.subscribe((events) => this.broadcast(events));
  }

  /** Open streams (including ones still being set up). */
  get size(): number {
    return this.reserved;
  }

  /** Claims a slot for a new stream; false when `api.max_sse_streams` are already open. */
  tryReserve(): boolean {
    if (this.reserved >= this.maxStreams) return false;
    this.reserved++;
    return true;
  }

  /** Gives back a slot claimed by tryReserve when the stream could not be opened. */
  release(): void {
    this.reserved--;
  }

  /** Adds a stream that holds a reserved slot; the slot is given back when the connection closes. */
  add(stream: SseStream, onClose: (listener: () => void) => void): void {
    this.streams.add(stream);
    onClose(() => {
      if (this.streams.delete(stream)) this.reserved--;
      if (this.streams.size === 0) this.stopHeartbeat();
    });
    if (!this.heartbeat) {
      this.heartbeat = setInterval(() => {
        for (const open of this.streams) open.ping();
      }, this.heartbeatMs);
      this.heartbeat.unref();
    }
  }

  /** Ends every stream (on shutdown, so closing the server does not wait for them). */
  closeAll(): void {
    for (const stream of this.streams) stream.end();
    this.stopHeartbeat();
    this.unsubscribe();
  }

  private broadcast(events: readonly LoggedEvent[]): void {
    for (const stream of this.streams) stream.deliver(events);
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }
}
