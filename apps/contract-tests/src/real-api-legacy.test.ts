import {
  type CoachwireClient,
  createClient,
  type HttpRequestFunction,
  type LegacyCoachPlan,
  type PlanEvent,
} from '@coachwire/webhook-client';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, type RealApi, startRealApi, TODAY } from './test-support/real-coachwire-api.js';

// Contract tests: the client against the real API app (apps/api) over a real SQLite file, with plans
// written through a second connection the way the bot writes them.

let api: RealApi;
const clients: CoachwireClient[] = [];
const open = (options: Omit<Parameters<typeof createClient>[0], 'baseUrl'> = {}) => {
  const client = createClient({ baseUrl: api.baseUrl, retries: 0, ...options });
  clients.push(client);
  return client;
};

beforeAll(async () => {
  api = await startRealApi();
});

afterAll(async () => {
  for (const client of clients) await client.close();
  await api?.close();
});

describe('legacy reads against the real API', () => {
  it('fetchCoachPlan returns exactly what the server sends for a plan, whatever the coach spelling', async () => {
    await api.bot.post(ALICE, {
      coach: 'd',
      text: 'Long above 5000',
      tradingDate: TODAY,
      guildId: '900000000000000001',
      channelId: '900000000000000002',
      channelName: 'trading-plans',
      charts: [{ url: 'https://cdn.discordapp.com/attachments/1/2/levels.png', filename: 'levels.png' }],
    });
    const server = await api.getJson(`/api/coach-plans/?coach=d&date=${TODAY}`);
    const client = open();

    const plan = await client.fetchCoachPlan('D', TODAY);
    expect(plan).toStrictEqual(server.body);
    expect(Object.keys(plan).sort()).toStrictEqual(
      ['author', 'channel', 'charts', 'created_at', 'edited_at', 'plan'].sort(),
    );
    const expected: LegacyCoachPlan = {
      plan: 'Long above 5000',
      charts: ['https://cdn.discordapp.com/attachments/1/2/levels.png'],
      author: 'alice',
      created_at: '2026-11-20T15:00:00.000Z',
      edited_at: null,
      channel: 'trading-plans',
    };
    expect(plan).toStrictEqual(expected);
    // Without a date the server's today (2026-11-20 by its clock) is used.
    expect(await open().fetchCoachPlan('coach_d')).toStrictEqual(server.body);
  });

  it('fetchCoachPlan returns only plan and charts when the coach has no plan', async () => {
    const server = await api.getJson('/api/coach-plans/?coach=i&date=2026-10-01');
    const plan = await open().fetchCoachPlan('i', '2026-10-01');
    expect(plan).toStrictEqual(server.body);
    expect(plan).toStrictEqual({ plan: 'No plan available for coach_i on 2026-10-01', charts: [] });
  });

  it('fetchAllCoachPlans returns the server map keyed coach_x, only coaches with a plan', async () => {
    const date = '2026-10-02';
    await api.bot.post(ALICE, { coach: 's', text: 'Swing long', tradingDate: date });
    await api.bot.post(ALICE, { coach: 'n', text: 'CPI at 8:30', tradingDate: date });
    const server = await api.getJson(`/api/coach-plans/all?date=${date}`);
    const all = await open().fetchAllCoachPlans(date);
    expect(all).toStrictEqual(server.body);
    expect(Object.keys(all).sort()).toStrictEqual(['coach_n', 'coach_s']);
    expect(Object.keys(all.coach_s!).sort()).toStrictEqual(
      ['author', 'charts', 'created_at', 'edited_at', 'plan'].sort(),
    );
    expect(await open().fetchAllCoachPlans('2026-10-03')).toStrictEqual({});
  });

  it('revalidates an expired entry with If-None-Match and the server answers 304', async () => {
    const date = '2026-10-05';
    await api.bot.post(ALICE, { coach: 'd', text: 'Range day', tradingDate: date });
    const url = `/api/coach-plans/?coach=d&date=${date}`;
    // A zero TTL makes every call revalidate instead of answering from cache.
    const client = open({ cache: { ttlSeconds: 0, negativeTtlSeconds: 0 } });

    const first = await client.fetchCoachPlan('d', date);
    const second = await client.fetchCoachPlan('d', date);
    expect(second).toBe(first);
    const served = await api.servedFor(url);
    expect(served.map((response) => response.status)).toStrictEqual([200, 304]);
    expect(served[0]!.ifNoneMatch).toBeUndefined();
    expect(served[1]!.ifNoneMatch).toMatch(/^W\/"/);
    expect(client.getMetrics()).toMatchObject({ revalidations: 1, cacheHits: 1, cacheMisses: 1 });

    // The bot edits through its own connection: the next revalidation gets the new text.
    const current = await api.bot.find('d', date);
    await api.bot.edit(ALICE, { planId: current!.id }, { text: 'Trend day' });
    await api.changesSeen();
    expect((await client.fetchCoachPlan('d', date)).plan).toBe('Trend day');
    expect((await api.servedFor(url)).map((response) => response.status)).toStrictEqual([200, 304, 200]);
  });
});

describe('events from the real API', () => {
  it('receives plan.created for a plan the bot wrote and drops the cached "no plan" answer', async () => {
    const date = '2026-10-06';
    const url = `/api/coach-plans/?coach=s&date=${date}`;
    // undici's request, as the README allows, observed so the test knows when the stream is open.
    let streamOpen!: () => void;
    const opened = new Promise<void>((resolve) => {
      streamOpen = resolve;
    });
    const send: HttpRequestFunction = async (target, options) => {
      const response = await request(target, options);
      if (target.endsWith('/api/v1/events') && response.statusCode === 200) streamOpen();
      return response;
    };
    const client = open({ httpRequest: send });

    const before = await client.fetchCoachPlan('s', date);
    expect(before.plan).toBe(`No plan available for coach_s on ${date}`);
    expect(await client.fetchAllCoachPlans(date)).toStrictEqual({});

    const errors: unknown[] = [];
    let received!: (event: PlanEvent) => void;
    const event = new Promise<PlanEvent>((resolve) => {
      received = resolve;
    });
    const stop = client.subscribe((planEvent) => received(planEvent), {
      onError: (error) => errors.push(error),
    });
    await opened;
    const { plan } = await api.bot.post(ALICE, {
      coach: 's',
      text: 'Swing long above 4900',
      tradingDate: date,
    });

    const created = await event;
    stop();
    const expected: PlanEvent = {
      id: created.id,
      type: 'plan.created',
      plan_id: plan.id,
      coach: 's',
      trading_date: date,
      author_id: ALICE.id,
      author_name: 'alice',
      edited_at: null,
      deleted_at: null,
      occurred_at: created.occurred_at,
    };
    expect(created).toStrictEqual(expected);
    expect(typeof created.id).toBe('number');
    expect(typeof created.occurred_at).toBe('string');
    expect(errors).toStrictEqual([]);

    // The 30 s negative entry was dropped: this goes to the server and sees the new plan.
    expect(await api.servedFor(url)).toHaveLength(1);
    const after = await client.fetchCoachPlan('s', date);
    expect(after.plan).toBe('Swing long above 4900');
    expect(await api.servedFor(url)).toHaveLength(2);
    expect(Object.keys(await client.fetchAllCoachPlans(date))).toStrictEqual(['coach_s']);
  });
});
