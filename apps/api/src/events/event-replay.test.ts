import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type ApiFixture, createApiFixture, DISCORD_ALICE } from '../test-support/api-fixture.js';
import { seedEvents } from '../test-support/event-log-seed.js';
import { EventStreamClient } from '../test-support/event-stream-client.js';

let fixture: ApiFixture | undefined;
const clients: EventStreamClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await fixture?.close();
  fixture = undefined;
});

async function start(api: Record<string, unknown> = {}) {
  fixture = await createApiFixture({
    overrides: {
      api: { max_sse_streams: 500, ...api },
      rate_limits: { api_per_ip: { max: 100_000, window_seconds: 60 } },
    },
  });
  await fixture.app.listen({ host: '127.0.0.1', port: 0 });
  const port = (fixture.app.server.address() as AddressInfo).port;
  const open = async (headers: Record<string, string> = {}) => {
    const client = await EventStreamClient.open(port, '/api/v1/events', headers);
    clients.push(client);
    return client;
  };
  return { fixture, port, open };
}

/** Resolves once every stream slot has been given back. */
function allStreamsClosed(app: ApiFixture['app']): Promise<void> {
  return new Promise((resolve) => {
    const poll = () => (app.sseHub.size === 0 ? resolve() : setImmediate(poll));
    poll();
  });
}

/** Sends a replay request and hangs up as soon as the headers arrive, reading nothing. */
function abandonedReplay(port: number, lastEventId: string): Promise<void> {
  return new Promise((resolve) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path: '/api/v1/events',
      headers: { 'last-event-id': lastEventId },
    });
    req.on('response', (response) => {
      response.destroy();
      resolve();
    });
    // The server may hang up first; either way the replay is abandoned.
    req.on('error', () => resolve());
    req.end();
  });
}

describe('event replay', () => {
  it('keeps the API answering while 100 replays over 30,000 events are abandoned', async () => {
    // A reach beyond the whole log, so every replay would read all 30,000 events if nothing stopped it.
    const { fixture, port } = await start({ event_replay_max: 50_000 });
    seedEvents(fixture.bot.database, 30_000);
    // The poller's own reading of the new events is not what is measured here.
    await fixture.app.eventPoller.pollNow();
    const eventsAfter = vi.spyOn(fixture.app.eventLog, 'eventsAfter');
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    const health: Promise<number>[] = [];
    const replays = Array.from({ length: 100 }, (_, index) => {
      if (index % 10 === 0)
        health.push(fixture.app.inject('/health/live').then((response) => response.statusCode));
      return abandonedReplay(port, '1');
    });
    await Promise.all(replays);
    await allStreamsClosed(fixture.app);
    expect(await Promise.all(health)).toStrictEqual(Array(10).fill(200));
    delay.disable();
    const read = (await Promise.all(eventsAfter.mock.results.map((result) => result.value))).flat().length;
    // Read in one run, the old way, a single replay held the loop for hundreds of milliseconds, and all
    // 3,000,000 events were read; batched replays that stop with their client keep every turn short.
    // Read in one run, the old way, one replay held the loop for 1.5 s or more here, and the abandoned
    // replays read over 400,000 events; batched, scheduled replays that stop with their client keep each
    // turn of the loop short (tens of ms, even on a loaded machine) and read a few batches each.
    expect(delay.max / 1e6).toBeLessThan(750);
    expect(read).toBeLessThan(150_000);
  });

  it('replays in order across many batches to a client that reads slowly', async () => {
    const { fixture, open } = await start();
    seedEvents(fixture.bot.database, 1_500);
    const client = await open({ 'last-event-id': '250' });
    client.response.pause();
    await new Promise<void>((resolve) => setImmediate(resolve));
    client.response.resume();
    await client.until((frames) => frames.filter((frame) => frame.id !== undefined).length >= 1_250);
    const ids = client.events.map((frame) => Number(frame.id));
    expect(ids).toStrictEqual(Array.from({ length: 1_250 }, (_, index) => 251 + index));
  });

  it('sends one resync event instead of a replay longer than api.event_replay_max, then goes on live', async () => {
    const { fixture, open } = await start({ event_replay_max: 3 });
    seedEvents(fixture.bot.database, 5);
    const client = await open({ 'last-event-id': '1' });
    await client.until((frames) => frames.some((frame) => frame.event === 'resync'));
    expect(client.events).toStrictEqual([
      { id: '5', event: 'resync', data: JSON.stringify({ reason: 'replay_limit', latest_event_id: 5 }) },
    ]);
    await fixture.bot.plans.post(DISCORD_ALICE, { coach: 'd', text: 'after the resync' });
    await client.until((frames) => frames.some((frame) => frame.id === '6'));
    expect(client.events.map((frame) => [frame.id, frame.event])).toStrictEqual([
      ['5', 'resync'],
      ['6', 'plan.created'],
    ]);
  });

  it('still replays a reach of exactly api.event_replay_max', async () => {
    const { fixture, open } = await start({ event_replay_max: 3 });
    seedEvents(fixture.bot.database, 5);
    const client = await open({ 'last-event-id': '2' });
    await client.until((frames) => frames.filter((frame) => frame.id !== undefined).length >= 3);
    expect(client.events.map((frame) => [frame.id, frame.event])).toStrictEqual([
      ['3', 'plan.updated'],
      ['4', 'plan.updated'],
      ['5', 'plan.updated'],
    ]);
  });

  it('asks for a resync when the events after Last-Event-ID were pruned, or were never written', async () => {
    const { fixture, open } = await start({ event_replay_max: 100 });
    seedEvents(fixture.bot.database, 10);
    fixture.bot.database.sqlite.prepare('DELETE FROM events WHERE id <= 4').run();
    const pruned = await open({ 'last-event-id': '2' });
    await pruned.until((frames) => frames.some((frame) => frame.event === 'resync'));
    expect(JSON.parse(pruned.events[0]!.data!)).toStrictEqual({ reason: 'pruned', latest_event_id: 10 });
    const ahead = await open({ 'last-event-id': '99' });
    await ahead.until((frames) => frames.some((frame) => frame.event === 'resync'));
    expect(JSON.parse(ahead.events[0]!.data!)).toStrictEqual({
      reason: 'unknown_event_id',
      latest_event_id: 10,
    });
    const kept = await open({ 'last-event-id': '4' });
    await kept.until((frames) => frames.filter((frame) => frame.id !== undefined).length >= 6);
    expect(kept.events.map((frame) => frame.id)).toStrictEqual(['5', '6', '7', '8', '9', '10']);
  });
});

describe('HEAD /api/v1/events', () => {
  it('answers the stream headers at once and holds no stream slot', async () => {
    const { fixture, port, open } = await start({ max_sse_streams: 1 });
    for (let index = 0; index < 10; index++) {
      const head = await new Promise<{ status: number; headers: Record<string, unknown> }>(
        (resolve, reject) => {
          const req = request(
            { host: '127.0.0.1', port, path: '/api/v1/events', method: 'HEAD' },
            (response) => {
              response.resume();
              response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers }));
            },
          );
          req.on('error', reject);
          req.end();
        },
      );
      expect(head.status).toBe(200);
      expect(head.headers['content-type']).toMatch(/^text\/event-stream/);
      expect(fixture.app.sseHub.size).toBe(0);
    }
    const stream = await open();
    expect(stream.response.statusCode).toBe(200);
    const full = await fixture.app.inject({ method: 'HEAD', url: '/api/v1/events' });
    expect(full.statusCode).toBe(503);
    expect(full.headers['retry-after']).toBe('5');
  });

  it('refuses a bad Last-Event-ID as the GET does', async () => {
    const { fixture } = await start();
    const head = await fixture.app.inject({
      method: 'HEAD',
      url: '/api/v1/events',
      headers: { 'last-event-id': 'x' },
    });
    expect(head.statusCode).toBe(400);
    expect(head.body).toBe('');
  });
});
