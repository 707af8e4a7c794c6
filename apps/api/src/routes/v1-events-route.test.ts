import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { type ApiFixture, createApiFixture, DISCORD_ALICE, TRADER_KEY } from '../test-support/api-fixture.js';
import { EventStreamClient } from '../test-support/event-stream-client.js';

describe('GET /api/v1/events (server-sent events)', () => {
  let fixture: ApiFixture | undefined;
  const clients: EventStreamClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await fixture?.close();
    fixture = undefined;
  });

  const start = async (overrides: Parameters<typeof createApiFixture>[0] = {}) => {
    fixture = await createApiFixture(overrides);
    await fixture.app.listen({ host: '127.0.0.1', port: 0 });
    const port = (fixture.app.server.address() as AddressInfo).port;
    const open = async (path = '/api/v1/events', headers: Record<string, string> = {}) => {
      const client = await EventStreamClient.open(port, path, headers);
      clients.push(client);
      return client;
    };
    return { fixture, port, open };
  };
  const eventCount = (count: number) => (frames: { id?: string }[]) =>
    frames.filter((frame) => frame.id !== undefined).length >= count;

  it('replays what the bot wrote through its own connection after Last-Event-ID, in order', async () => {
    const { fixture, open } = await start();
    const first = await fixture.bot.plans.post(DISCORD_ALICE, {
      coach: 'd',
      text: 'v1',
      tradingDate: '2026-11-20',
    });
    await fixture.bot.plans.edit(DISCORD_ALICE, { planId: first.plan.id }, { text: 'v2' });
    await fixture.bot.plans.post(DISCORD_ALICE, { coach: 'i', text: 'other' });
    await fixture.bot.plans.delete(DISCORD_ALICE, { planId: first.plan.id });

    const client = await open('/api/v1/events', { 'last-event-id': '1' });
    expect(client.response.statusCode).toBe(200);
    expect(client.response.headers['content-type']).toMatch(/^text\/event-stream/);
    await client.until(eventCount(3));
    expect(client.events.map((frame) => [frame.id, frame.event])).toStrictEqual([
      ['2', 'plan.updated'],
      ['3', 'plan.created'],
      ['4', 'plan.deleted'],
    ]);
    const updated = JSON.parse(client.events[0]!.data!);
    expect(updated).toStrictEqual({
      id: 2,
      type: 'plan.updated',
      plan_id: first.plan.id,
      coach: 'd',
      trading_date: '2026-11-20',
      author_id: DISCORD_ALICE.id,
      author_name: 'alice',
      edited_at: '2026-11-20T15:00:00.000Z',
      deleted_at: null,
      occurred_at: expect.any(String),
    });
    expect(JSON.parse(client.events[2]!.data!).deleted_at).not.toBeNull();
  });

  it('accepts the replay position as ?last_event_id= too', async () => {
    const { fixture, open } = await start();
    await fixture.bot.plans.post(DISCORD_ALICE, { coach: 'd', text: 'a' });
    await fixture.bot.plans.post(DISCORD_ALICE, { coach: 'i', text: 'b' });
    const client = await open('/api/v1/events?last_event_id=0');
    await client.until(eventCount(2));
    expect(client.events.map((frame) => frame.id)).toStrictEqual(['1', '2']);
  });

  it('starts at the newest event without Last-Event-ID, then pushes live changes from the bot and API keys', async () => {
    const { fixture, open } = await start();
    await fixture.bot.plans.post(DISCORD_ALICE, { coach: 'd', text: 'old news' });
    const client = await open();
    await client.until((frames) => frames.some((frame) => frame.comment === 'connected'));
    await fixture.bot.plans.post(DISCORD_ALICE, { coach: 's', text: 'swing' });
    await fixture.app.inject({
      method: 'POST',
      url: '/api/v1/plans',
      headers: { authorization: `Bearer ${TRADER_KEY}` },
      payload: { coach: 'n', text: 'news' },
    });
    await client.until(eventCount(2));
    const coaches = client.events.map((frame) => JSON.parse(frame.data!).coach);
    expect(coaches).toStrictEqual(['s', 'n']);
    expect(client.events.map((frame) => frame.id)).toStrictEqual(['2', '3']);
  });

  it('sends a ping comment every heartbeat interval', async () => {
    const { open } = await start({ overrides: { api: { sse_heartbeat_seconds: 0.05 } } });
    const client = await open();
    await client.until((frames) => frames.filter((frame) => frame.comment === 'ping').length >= 2);
    expect(client.frames.filter((frame) => frame.comment === 'ping').length).toBeGreaterThanOrEqual(2);
  });

  it('refuses streams beyond api.max_sse_streams with a 503 JSON error, and frees the slot on disconnect', async () => {
    const logged: { level: number; msg: string; err?: unknown }[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => logged.push(JSON.parse(line)) });
    const { open, port } = await start({ overrides: { api: { max_sse_streams: 2 } }, logger });
    const a = await open();
    await open();
    const refused = await EventStreamClient.open(port, '/api/v1/events');
    expect(refused.response.statusCode).toBe(503);
    await refused.whenEnded();
    expect(refused.response.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(refused.text)).toMatchObject({
      error: 'Service Unavailable',
      code: 'SERVICE_UNAVAILABLE',
    });
    expect(JSON.parse(refused.text).message).toContain('at most 2');
    // A refusal the configuration asked for is a warning without a stack, not an error of the server's.
    const shed = logged.filter((line) => line.msg === 'request shed');
    expect(shed).toHaveLength(1);
    expect(shed[0]).toMatchObject({ level: 40, code: 'SERVICE_UNAVAILABLE' });
    expect(shed[0]!.err).toBeUndefined();
    expect(logged.filter((line) => line.level >= 50)).toEqual([]);
    a.close();
    await new Promise<void>((resolve) => {
      const poll = () => (fixture!.app.sseHub.size < 2 ? resolve() : setImmediate(poll));
      poll();
    });
    const admitted = await open();
    expect(admitted.response.statusCode).toBe(200);
  });

  it('refuses a client more than api.max_sse_streams_per_client streams with 429, counting an API key apart', async () => {
    const { open } = await start({ overrides: { api: { max_sse_streams_per_client: 2 } } });
    const first = await open();
    await open();
    const third = await open();
    expect(third.response.statusCode).toBe(429);
    await third.whenEnded();
    expect(third.response.headers['retry-after']).toBe('5');
    expect(JSON.parse(third.text)).toMatchObject({ code: 'RATE_LIMITED' });
    expect(JSON.parse(third.text).message).toContain('2 event streams open');
    // The same address with an API key is another client; the keyless one gets its slot back on disconnect.
    const keyed = await open('/api/v1/events', { authorization: `Bearer ${TRADER_KEY}` });
    expect(keyed.response.statusCode).toBe(200);
    first.close();
    await new Promise<void>((resolve) => {
      const poll = () => (fixture!.app.sseHub.size < 3 ? resolve() : setImmediate(poll));
      poll();
    });
    expect((await open()).response.statusCode).toBe(200);
  });

  it('refuses a Last-Event-ID that is not a number with 400', async () => {
    const { fixture } = await start();
    const response = await fixture.app.inject({ url: '/api/v1/events', headers: { 'last-event-id': 'abc' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('VALIDATION');
  });

  it('ends open streams when the app closes', async () => {
    const { fixture, open } = await start();
    const client = await open();
    await client.until((frames) => frames.length > 0);
    await fixture.app.close();
    await client.whenEnded();
    expect(client.hasEnded).toBe(true);
  });
});
