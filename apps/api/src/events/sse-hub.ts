import type { LoggedEvent } from '@coachwire/core';
import type { EventLogPoller } from './event-log-poller.js';
import type { SseStream } from './sse-stream.js';

/** Why a stream was not admitted: every slot is taken, or every slot one client may hold. */
export type StreamRefusal = 'full' | 'client_full';

/**
 * Every open event stream: bounded in number, and per client (an API key, else an address), fed by the shared
 * poller, pinged on one shared timer.
 */
export class SseHub {
  private readonly streams = new Set<SseStream>();
  private reserved = 0;
  private readonly byClient = new Map<string, number>();
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly unsubscribe: () => void;

  constructor(
    poller: EventLogPoller,
    private readonly maxStreams: number,
    private readonly maxPerClient: number,
    private readonly heartbeatMs: number,
  ) {
    this.unsubscribe = poller.subscribe((events) => this.broadcast(events));
  }

  /** Open streams (including ones still being set up). */
  get size(): number {
    return this.reserved;
  }

  /** Why a new stream of `client` would be refused now, or undefined when it would be admitted. */
  refusal(client: string): StreamRefusal | undefined {
    if (this.reserved >= this.maxStreams) return 'full';
    if ((this.byClient.get(client) ?? 0) >= this.maxPerClient) return 'client_full';
    return undefined;
  }

  /** Claims a slot of `client` for a new stream, or says why not (`api.max_sse_streams`, `…_per_client`). */
  tryReserve(client: string): StreamRefusal | undefined {
    const refusal = this.refusal(client);
    if (refusal !== undefined) return refusal;
    this.reserved++;
    this.byClient.set(client, (this.byClient.get(client) ?? 0) + 1);
    return undefined;
  }

  /** Adds a stream that holds a slot of `client`; the slot is given back when the connection closes. */
  add(stream: SseStream, client: string, onClose: (listener: () => void) => void): void {
    this.streams.add(stream);
    onClose(() => {
      if (this.streams.delete(stream)) {
        this.reserved--;
        const held = (this.byClient.get(client) ?? 1) - 1;
        if (held === 0) this.byClient.delete(client);
        else this.byClient.set(client, held);
      }
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
