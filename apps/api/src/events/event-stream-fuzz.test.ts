import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, createApiFixture } from '../test-support/api-fixture.js';
import { seedEvents } from '../test-support/event-log-seed.js';
import { EventStreamClient, type SseFrame } from '../test-support/event-stream-client.js';

const LATEST = 300;
const REPLAY_MAX = 100;
const ERROR_KEYS = ['code', 'error', 'message', 'request_id'];

/** What the stream must answer for a request, derived from the documented rules alone. */
type Expected =
  | { kind: 'error'; status: number }
  | { kind: 'live' }
  | { kind: 'replay'; ids: string[] }
  | { kind: 'resync'; reason: string };

function expectedFor(method: string, header: string | undefined, query: string | undefined): Expected {
  // The path is served, the method is not.
  if (method !== 'GET' && method !== 'HEAD') return { kind: 'error', status: 405 };
  const received = header?.trim();
  if ((received?.length ?? 0) > 32 || (query?.length ?? 0) > 32) return { kind: 'error', status: 400 };
  const value = received !== undefined ? received : query;
  if (value === undefined || value.trim() === '') return { kind: 'live' };
  if (!/^\d{1,15}$/.test(value.trim())) return { kind: 'error', status: 400 };
  const id = Number(value.trim());
  if (id > LATEST) return { kind: 'resync', reason: 'unknown_event_id' };
  if (LATEST - id > REPLAY_MAX) return { kind: 'resync', reason: 'replay_limit' };
  return { kind: 'replay', ids: Array.from({ length: LATEST - id }, (_, index) => String(id + 1 + index)) };
}

function headOf(port: number, path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; type: string | undefined; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'HEAD', headers }, (response) => {
      let body = '';
      response.on('data', (chunk) => {
        body += chunk;
      });
      response.on('end', () =>
        resolve({ status: response.statusCode!, type: response.headers['content-type'], body }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

const events = (frames: SseFrame[]) => frames.filter((frame) => frame.id !== undefined);

describe('fuzzing the event stream', () => {
  let fixture: ApiFixture;
  let port: number;
  beforeAll(async () => {
    fixture = await createApiFixture({
      overrides: {
        api: { event_replay_max: REPLAY_MAX, max_sse_streams: 20 },
        rate_limits: { api_per_ip: { max: 1_000_000, window_seconds: 60 } },
      },
    });
    seedEvents(fixture.bot.database, LATEST);
    await fixture.app.eventPoller.pollNow();
    await fixture.app.listen({ host: '127.0.0.1', port: 0 });
    port = (fixture.app.server.address() as AddressInfo).port;
  });
  afterAll(() => fixture.close());

  it('answers every position, method and disconnect as documented and frees every stream slot', async () => {
    const position = fc.oneof(
      fc.integer({ min: 0, max: 2 * LATEST }).map(String),
      fc.constantFrom('', ' ', '-1', '1e3', '0x10', '00012', ' 250 ', '9'.repeat(16), '9'.repeat(40), 'abc'),
      fc.stringMatching(/^[ -~]{0,40}$/),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'GET', 'GET', 'HEAD', 'POST', 'DELETE'),
        fc.option(position, { nil: undefined }),
        fc.option(position, { nil: undefined }),
        fc.constantFrom('read', 'abandon'),
        async (method, header, query, behaviour) => {
          const path =
            query === undefined
              ? '/api/v1/events'
              : `/api/v1/events?last_event_id=${encodeURIComponent(query)}`;
          const headers: Record<string, string> = header === undefined ? {} : { 'last-event-id': header };
          const expected = expectedFor(method, header, query);
          const label = `${method} ${path} ${JSON.stringify(headers)}`;
          if (method === 'HEAD') {
            const head = await headOf(port, path, headers);
            expect(head.body, label).toBe('');
            expect(head.status, label).toBe(expected.kind === 'error' ? expected.status : 200);
            return;
          }
          const client = await EventStreamClient.open(port, path, headers, method);
          try {
            if (expected.kind === 'error') {
              await client.whenEnded();
              expect(client.response.statusCode, label).toBe(expected.status);
              if (expected.status === 405) expect(client.response.headers.allow, label).toBe('GET, HEAD');
              const body = JSON.parse(client.text) as Record<string, unknown>;
              expect(
                Object.keys(body)
                  .filter((key) => key !== 'field')
                  .sort(),
                label,
              ).toStrictEqual(ERROR_KEYS);
              expect(body.request_id, label).toBe(client.response.headers['x-request-id']);
              return;
            }
            expect(client.response.statusCode, label).toBe(200);
            expect(client.response.headers['content-type'], label).toMatch(/^text\/event-stream/);
            if (behaviour === 'abandon') return;
            if (expected.kind === 'live') {
              await client.until((frames) => frames.some((frame) => frame.comment === 'connected'));
              expect(events(client.frames), label).toStrictEqual([]);
            } else if (expected.kind === 'resync') {
              await client.until((frames) => events(frames).length >= 1);
              expect(events(client.frames), label).toStrictEqual([
                {
                  id: String(LATEST),
                  event: 'resync',
                  data: JSON.stringify({ reason: expected.reason, latest_event_id: LATEST }),
                },
              ]);
            } else {
              await client.until((frames) => events(frames).length >= expected.ids.length);
              expect(
                events(client.frames).map((frame) => frame.id),
                label,
              ).toStrictEqual(expected.ids);
            }
          } finally {
            client.close();
          }
        },
      ),
      { numRuns: 250 },
    );
    await new Promise<void>((resolve) => {
      const poll = () => (fixture.app.sseHub.size === 0 ? resolve() : setImmediate(poll));
      poll();
    });
    expect(fixture.app.sseHub.size).toBe(0);
  }, 120_000);
});
