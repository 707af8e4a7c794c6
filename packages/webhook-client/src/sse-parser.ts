import { CoachwireClientError } from './errors.js';

/**
 * Most characters one event may hold before its end (the API's events are a few KB): a stream sending bytes
 * that never make an event would otherwise grow the parser's buffer until the process runs out of memory.
 */
export const MAX_EVENT_CHARS = 1024 * 1024;

/** One dispatched server-sent event. */
export interface SseMessage {
  id: string | undefined;
  event: string;
  data: string;
}

/**
 * Incremental parser for the text/event-stream format: feed decoded text in arbitrary chunks,
 * get one callback per complete event. Comment lines (`: ping`) are ignored, as the format says.
 */
export class SseParser {
  #buffer = '';
  #data: string[] = [];
  /** Characters of `#data`, kept to bound an event that never ends. */
  #dataChars = 0;
  #event = '';
  #id: string | undefined;
  /** Last id seen, kept across events as the reconnect `Last-Event-ID`. */
  lastEventId: string | undefined;
  /** Reconnection delay the server asked for with `retry:`. */
  retryMs: number | undefined;
  readonly #onMessage: (message: SseMessage) => void;

  constructor(onMessage: (message: SseMessage) => void, lastEventId?: string) {
    this.#onMessage = onMessage;
    this.lastEventId = lastEventId;
  }

  /**
   * Parses a chunk. Throws `INVALID_RESPONSE` (and forgets the unfinished event) when an event grows past
   * MAX_EVENT_CHARS without ending.
   */
  push(text: string): void {
    this.#buffer += text;
    let start = 0;
    for (;;) {
      const newline = this.#nextLineEnd(start);
      if (newline === -1) break;
      const line = this.#buffer.slice(start, newline);
      // A CRLF pair is one line ending; a lone CR at the chunk's end may still be followed by LF.
      start =
        this.#buffer[newline] === '\r' && this.#buffer[newline + 1] === '\n' ? newline + 2 : newline + 1;
      this.#line(line);
    }
    this.#buffer = this.#buffer.slice(start);
    if (this.#buffer.length + this.#dataChars > MAX_EVENT_CHARS) {
      this.reset();
      throw new CoachwireClientError(
        'INVALID_RESPONSE',
        `The event stream sent more than ${MAX_EVENT_CHARS} characters without ending an event`,
      );
    }
  }

  /** Forgets an unfinished event (a new connection starts afresh); the last id and retry delay are kept. */
  reset(): void {
    this.#buffer = '';
    this.#data = [];
    this.#dataChars = 0;
    this.#event = '';
    this.#id = undefined;
  }

  #nextLineEnd(from: number): number {
    const lf = this.#buffer.indexOf('\n', from);
    const cr = this.#buffer.indexOf('\r', from);
    if (cr === -1) return lf;
    // A CR as the last character might be the first half of CRLF: wait for the next chunk.
    if (cr === this.#buffer.length - 1) return lf === -1 ? -1 : Math.min(lf, cr);
    return lf === -1 ? cr : Math.min(lf, cr);
  }

  #line(line: string): void {
    if (line === '') {
      this.#dispatch();
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') {
      this.#data.push(value);
      this.#dataChars += value.length + 1;
    } else if (field === 'event') this.#event = value;
    else if (field === 'id' && !value.includes('\0')) this.#id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
  }

  #dispatch(): void {
    if (this.#id !== undefined) this.lastEventId = this.#id;
    const message: SseMessage = {
      id: this.#id,
      event: this.#event || 'message',
      data: this.#data.join('\n'),
    };
    const hasData = this.#data.length > 0;
    this.#data = [];
    this.#dataChars = 0;
    this.#event = '';
    this.#id = undefined;
    if (hasData) this.#onMessage(message);
  }
}
