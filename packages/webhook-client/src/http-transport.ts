import { Agent, request } from 'undici';
import { NetworkError, TimeoutError } from './errors.js';

/** Body of an HTTP answer: readable as text, or chunk by chunk (server-sent events). */
export interface HttpResponseBody extends AsyncIterable<Uint8Array | string> {
  text(): Promise<string>;
  /** Stops reading and frees the connection (undici's body has it); called when the call gives up on it. */
  destroy?(error?: Error): void;
}

export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: HttpResponseBody;
}

/** Options passed to the HTTP function; the names and meanings are undici `request`'s. */
export interface HttpRequestOptions {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  headers: Record<string, string>;
  body?: string;
  /** Milliseconds to wait for the status line and headers; 0 means no limit. */
  headersTimeout: number;
  /** Milliseconds allowed between body chunks; 0 means no limit. */
  bodyTimeout: number;
  signal?: AbortSignal;
}

/** undici-`request`-like function; the `httpRequest` option must have this signature. */
export type HttpRequestFunction = (url: string, options: HttpRequestOptions) => Promise<HttpResponse>;

/**
 * The default transport: undici `request` over one keep-alive Agent. `close()` destroys the Agent, which ends
 * the requests in flight at once (waiting for them could take their whole timeout).
 */
export function createUndiciTransport(): { send: HttpRequestFunction; close(): Promise<void> } {
  const agent = new Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 });
  return {
    send: (url, options) => {
      // The options object is built per attempt by the executor, so adding the dispatcher in place is safe
      // and spares a copy on every request.
      (options as HttpRequestOptions & { dispatcher: Agent }).dispatcher = agent;
      return request(url, options);
    },
    close: () => agent.destroy(),
  };
}

const timeoutCodes = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/** Turns whatever the HTTP function threw into a TimeoutError or NetworkError. */
export function toTransportError(error: unknown, timeoutMs: number): TimeoutError | NetworkError {
  if (error instanceof TimeoutError || error instanceof NetworkError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const name = (error as { name?: unknown } | null)?.name;
  if ((typeof code === 'string' && timeoutCodes.has(code)) || name === 'TimeoutError') {
    return new TimeoutError(`Request timed out after ${timeoutMs} ms`, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  const detail = typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
  return new NetworkError(`Network error: ${detail}`, { cause: error });
}
