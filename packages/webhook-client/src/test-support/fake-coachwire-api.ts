import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';
import { type ClientOptions, type CoachwireClient, createClient } from '../index.js';

/**
 * A tiny node:http server speaking the Coachwire API's shapes, for this package's tests only: it lets
 * tests script failures (5xx, timeouts, resets) the real API never produces on demand. The client runs
 * against the real API app in apps/contract-tests, where an app may be imported.
 */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type FakeHandler = (request: RecordedRequest, response: ServerResponse) => void | Promise<void>;

export interface FakeApi {
  baseUrl: string;
  requests: RecordedRequest[];
  /** Requests whose path starts with `prefix`. */
  count(prefix: string): number;
  close(): Promise<void>;
}

/** Starts the server on 127.0.0.1 with an ephemeral port; `handler` answers every request. */
export async function startFakeApi(handler: FakeHandler): Promise<FakeApi> {
  const requests: RecordedRequest[] = [];
  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const recorded: RecordedRequest = {
        method: incoming.method ?? 'GET',
        url: incoming.url ?? '/',
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      Promise.resolve(handler(recorded, response)).catch((error: unknown) => {
        response.statusCode = 500;
        response.end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    count: (prefix) => requests.filter((request) => request.url.startsWith(prefix)).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A fake API answering with `handler`, and a client of it with `options`; `open` makes more clients of the same
 * API (other options). Every one, and the API, is closed when the test finishes.
 */
export async function clientOf(
  handler: FakeHandler,
  options: Omit<ClientOptions, 'baseUrl'> = {},
): Promise<{
  api: FakeApi;
  client: CoachwireClient;
  open(more?: Omit<ClientOptions, 'baseUrl'>): CoachwireClient;
}> {
  const api = await startFakeApi(handler);
  const clients: CoachwireClient[] = [];
  const open = (more: Omit<ClientOptions, 'baseUrl'> = {}) => {
    const client = createClient({ baseUrl: api.baseUrl, ...options, ...more });
    clients.push(client);
    return client;
  };
  const client = open();
  onTestFinished(async () => {
    for (const each of clients) await each.close();
    await api.close();
  });
  return { api, client, open };
}

/** Writes a JSON answer with an optional ETag and extra headers. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

/** The API's error body, with the X-Request-Id header every error carries. */
export function sendError(
  response: ServerResponse,
  status: number,
  code: string,
  error: string,
  headers: Record<string, string> = {},
): void {
  const requestId = `req-${status}`;
  sendJson(
    response,
    status,
    { error, message: error, code, request_id: requestId },
    {
      'x-request-id': requestId,
      ...headers,
    },
  );
}

/** A legacy plan answer as `/api/coach-plans/` returns it. */
export function legacyPlan(text: string): Record<string, unknown> {
  return {
    plan: text,
    charts: ['http://127.0.0.1/charts/1.png'],
    author: 'alice',
    created_at: '2026-11-20T08:00:00Z',
    edited_at: null,
    channel: 'coach-d-plans',
  };
}

/** The legacy "no plan yet" answer. */
export function noPlan(coach: string, date: string): Record<string, unknown> {
  return { plan: `No plan available for coach_${coach} on ${date}`, charts: [] };
}

/** The query parameters of a recorded request. */
export function queryOf(request: RecordedRequest): URLSearchParams {
  return new URL(request.url, 'http://127.0.0.1').searchParams;
}

/** A promise with its resolve function exposed, to hold a response until the test says so. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

/** A clock the test moves by hand. */
export function manualClock(start = Date.parse('2026-11-20T08:00:00Z')): {
  now(): number;
  advance(ms: number): void;
} {
  let current = start;
  return {
    now: () => current,
    advance: (ms) => {
      current += ms;
    },
  };
}
