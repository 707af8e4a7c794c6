import { EventEmitter } from 'node:events';

/** One REST request the emulator received, as tests and benchmarks see it. */
export interface RecordedCall {
  method: string;
  /** The path below /api/v10, with `%40original` decoded to `@original`. */
  path: string;
  /** The matched route template, e.g. 'POST /channels/:channelId/messages'; 'UNKNOWN' when none matched. */
  route: string;
  /** Parsed JSON body (for multipart requests: the `payload_json` part). */
  body: unknown;
  /** Files of a multipart request (name, type and size; bytes are kept by the CDN route). */
  files: { filename: string; contentType: string; size: number }[];
  query: Record<string, string>;
  /** HTTP status the emulator answered with. */
  status: number;
  /** When the request arrived: process.hrtime in milliseconds. */
  at: number;
}

export interface WaitOptions {
  timeoutMs?: number;
}

/**
 * Keeps the REST calls in order (the newest `limit` of them; every one by default) and lets tests await the
 * first one matching a predicate.
 */
export class CallRecorder extends EventEmitter {
  readonly calls: RecordedCall[] = [];

  constructor(private readonly limit = Number.POSITIVE_INFINITY) {
    super();
    // Every pending waitForCall listens here: a burst of simulated members awaits many answers at once.
    this.setMaxListeners(0);
  }

  record(call: RecordedCall): void {
    this.calls.push(call);
    if (this.calls.length > this.limit) this.calls.shift();
    this.emit('call', call);
  }

  /** Resolves with the first matching call, already recorded or future; rejects after `timeoutMs`. */
  waitForCall(predicate: (call: RecordedCall) => boolean, options: WaitOptions = {}): Promise<RecordedCall> {
    const already = this.calls.find(predicate);
    if (already) return Promise.resolve(already);
    const timeoutMs = options.timeoutMs ?? 5_000;
    return new Promise((resolve, reject) => {
      const onCall = (call: RecordedCall) => {
        if (!predicate(call)) return;
        clearTimeout(timer);
        this.off('call', onCall);
        resolve(call);
      };
      const timer = setTimeout(() => {
        this.off('call', onCall);
        const seen = this.calls.map((call) => `${call.route} (${call.status})`).join(', ') || 'none';
        reject(new Error(`No matching REST call within ${timeoutMs} ms; calls so far: ${seen}`));
      }, timeoutMs);
      this.on('call', onCall);
    });
  }
}
