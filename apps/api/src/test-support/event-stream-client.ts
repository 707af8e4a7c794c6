import { type IncomingMessage, request } from 'node:http';

/** One parsed server-sent event frame (comments are kept as `comment`). */
export interface SseFrame {
  readonly id?: string;
  readonly event?: string;
  readonly data?: string;
  readonly comment?: string;
}

/** A text/event-stream read with node:http, frame by frame. */
export class EventStreamClient {
  readonly frames: SseFrame[] = [];
  /** Everything received, unparsed (for error bodies). */
  text = '';
  private buffer = '';
  private waiters: { predicate: (frames: SseFrame[]) => boolean; resolve: () => void }[] = [];
  private ended = false;

  private constructor(readonly response: IncomingMessage) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => this.push(chunk));
    response.on('end', () => {
      this.ended = true;
      this.check();
    });
  }

  /** Opens `path` on 127.0.0.1:`port`; resolves once the status line and headers arrived. */
  static open(
    port: number,
    path: string,
    headers: Record<string, string> = {},
    method = 'GET',
  ): Promise<EventStreamClient> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, headers, method }, (response) =>
        resolve(new EventStreamClient(response)),
      );
      req.on('error', reject);
      req.end();
    });
  }

  /** Events (frames with an id), in arrival order. */
  get events(): SseFrame[] {
    return this.frames.filter((frame) => frame.id !== undefined);
  }

  /** Resolves when `predicate` holds for the frames received so far (or the stream ended). */
  until(predicate: (frames: SseFrame[]) => boolean): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push({ predicate, resolve });
      this.check();
    });
  }

  /** Resolves when the server ends the stream. */
  whenEnded(): Promise<void> {
    return this.until(() => this.ended);
  }

  get hasEnded(): boolean {
    return this.ended;
  }

  close(): void {
    this.response.destroy();
  }

  private push(chunk: string): void {
    this.text += chunk;
    this.buffer += chunk;
    for (let end = this.buffer.indexOf('\n\n'); end !== -1; end = this.buffer.indexOf('\n\n')) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const frame: Record<string, string> = {};
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) frame.comment = line.slice(1).trim();
        else {
          const at = line.indexOf(':');
          frame[line.slice(0, at)] = line.slice(at + 1).trimStart();
        }
      }
      this.frames.push(frame);
    }
    this.check();
  }

  private check(): void {
    this.waiters = this.waiters.filter((waiter) => {
      if (!this.ended && !waiter.predicate(this.frames)) return true;
      waiter.resolve();
      return false;
    });
  }
}
