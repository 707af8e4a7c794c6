import {
  ApiError,
  type CoachwireClient,
  CoachwireClientError,
  createClient,
  type HealthReport,
  type Plan,
  type PlanChannel,
  type PlanPage,
  type ServerMetrics,
} from '@coachwire/webhook-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ALICE,
  type RealApi,
  startRealApi,
  TODAY,
  TRADINGAGENTS_KEY,
} from './test-support/real-coachwire-api.js';

// Contract tests: the v1 methods against the real API app over a real SQLite file.

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

/** The ApiError a call rejected with (fails the test when it resolved or threw something else). */
async function apiErrorOf(call: Promise<unknown>): Promise<ApiError> {
  const error = await call.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('v1 reads against the real API', () => {
  it('getPlan and getCoachPlan return the plan as served, channel and charts included', async () => {
    const discordUrl = 'https://cdn.discordapp.com/attachments/1/2/levels.png?ex=1&hm=signed';
    const { plan: posted } = await api.bot.post(ALICE, {
      coach: 'd',
      text: 'Long above 5000',
      tradingDate: TODAY,
      guildId: '900000000000000001',
      channelId: '900000000000000002',
      channelName: 'trading-plans',
      sourceMessageId: '900000000000000003',
      charts: [
        { url: discordUrl, filename: 'levels.png', contentType: 'image/png' },
        { url: 'https://cdn.discordapp.com/attachments/1/3/later.png', filename: 'later.png' },
      ],
    });
    // Archived the way the bot's archiver records it: the chart then gets the API's stable URL.
    const sha256 = 'ab'.repeat(32);
    await api.botStore.charts.recordArchived(posted.charts[0]!.id, {
      sha256,
      size: 300,
      contentType: 'image/png',
      width: 640,
      height: 360,
      archivedAt: '2026-11-20T15:00:01.000Z',
    });
    await api.changesSeen();
    const client = open();

    const plan: Plan = await client.getPlan(posted.id);
    expect(plan).toStrictEqual((await api.getJson(`/api/v1/plans/${posted.id}`)).body);
    expect(await client.getCoachPlan('coach_d', TODAY)).toStrictEqual(plan);
    expect(plan).toMatchObject({
      id: posted.id,
      coach: 'd',
      trading_date: TODAY,
      author: { id: ALICE.id, name: 'alice' },
      guild_id: '900000000000000001',
      channel: { id: '900000000000000002', name: 'trading-plans' },
      source_message_id: '900000000000000003',
      edited_at: null,
      deleted_at: null,
    });
    const [archived, pending] = plan.charts;
    expect(archived).toStrictEqual({
      id: posted.charts[0]!.id,
      url: `https://plans.example.test/api/v1/charts/${posted.charts[0]!.id}`,
      source_url: discordUrl,
      filename: 'levels.png',
      content_type: 'image/png',
      size: 300,
      width: 640,
      height: 360,
      sha256,
    });
    expect(pending).toMatchObject({
      url: 'https://cdn.discordapp.com/attachments/1/3/later.png',
      source_url: 'https://cdn.discordapp.com/attachments/1/3/later.png',
      filename: 'later.png',
      sha256: null,
    });
  });

  it('revalidates v1 reads: the second getPlan is answered 304 and returns the kept body', async () => {
    const { plan: posted } = await api.bot.post(ALICE, {
      coach: 'i',
      text: 'Fade the open',
      tradingDate: TODAY,
    });
    const client = open();
    const first = await client.getPlan(posted.id);
    const second = await client.getPlan(posted.id);
    expect(second).toBe(first);
    const served = await api.servedFor(`/api/v1/plans/${posted.id}`);
    expect(served.map((response) => [response.status, response.ifNoneMatch === undefined])).toStrictEqual([
      [200, true],
      [304, false],
    ]);
    expect(client.getMetrics().revalidations).toBe(1);
  });

  it('listPlans walks every page of the server and nothing else', async () => {
    const dates = ['2026-09-01', '2026-09-02', '2026-09-03'];
    for (const date of dates) {
      for (const coach of ['s', 'n'])
        await api.bot.post(ALICE, { coach, text: `${coach} ${date}`, tradingDate: date });
    }
    const filter = { from: '2026-09-01', to: '2026-09-30' };
    const everything = (await api.getJson('/api/v1/plans?from=2026-09-01&to=2026-09-30&limit=200'))
      .body as PlanPage;
    expect(everything.data).toHaveLength(6);

    const pages: PlanPage[] = [];
    for await (const page of open().listPlans({ ...filter, limit: 4 })) pages.push(page);
    expect(pages.map((page) => page.data.length)).toStrictEqual([4, 2]);
    expect(typeof pages[0]!.next_cursor).toBe('string');
    expect(pages[1]!.next_cursor).toBeNull();
    expect(pages.flatMap((page) => page.data)).toStrictEqual(everything.data);

    const swing: PlanPage[] = [];
    for await (const page of open().listPlans({ ...filter, coach: 'S', limit: 1 })) swing.push(page);
    expect(swing.map((page) => page.data.map((plan) => plan.trading_date))).toStrictEqual([
      ['2026-09-03'],
      ['2026-09-02'],
      ['2026-09-01'],
    ]);
  });

  it('getHistory returns the revisions as served, newest first', async () => {
    const { plan } = await api.bot.post(ALICE, { coach: 'n', text: 'v1', tradingDate: '2026-09-10' });
    await api.bot.edit(ALICE, { planId: plan.id }, { text: 'v2' });
    await api.bot.edit(ALICE, { planId: plan.id }, { text: 'v3' });
    const history = await open().getHistory(plan.id);
    expect(history).toStrictEqual((await api.getJson(`/api/v1/plans/${plan.id}/history`)).body);
    expect(history.data.map((revision) => revision.previous_text)).toStrictEqual(['v2', 'v1']);
    expect(history.data[0]).toStrictEqual({
      id: history.data[0]!.id,
      plan_id: plan.id,
      previous_text: 'v2',
      editor: { id: ALICE.id, name: 'alice' },
      edited_at: '2026-11-20T15:00:00.000Z',
    });
  });

  it('listCoaches returns the configured coaches', async () => {
    const coaches = await open().listCoaches();
    expect(coaches).toStrictEqual((await api.getJson('/api/v1/coaches')).body);
    expect(coaches.data.map((coach) => coach.id)).toStrictEqual(['d', 'i', 's', 'n']);
  });

  it('checkHealth and getServerMetrics return the server reports', async () => {
    const client = open();
    const health: HealthReport = await client.checkHealth();
    expect(Object.keys(health).sort()).toStrictEqual(['components', 'status', 'timestamp']);
    expect(health.status).toBe('healthy');
    expect(health.components).toStrictEqual({
      database: { status: 'up', plan_count: expect.any(Number) },
      discord_bot: {
        status: 'disconnected',
        state: 'not_running',
        last_error: null,
        mock: false,
        last_heartbeat: null,
        latency_ms: null,
        guilds: 0,
      },
    });

    const metrics: ServerMetrics = await client.getServerMetrics();
    const stats = await api.bot.stats();
    expect(metrics).toStrictEqual({
      timestamp: expect.any(String),
      uptime_seconds: expect.any(Number),
      requests: {
        total: expect.any(Number),
        success: expect.any(Number),
        error: expect.any(Number),
        error_rate_percent: expect.any(Number),
      },
      database: {
        total_plans: stats.totalPlans,
        total_charts: stats.totalCharts,
        total_edits: stats.totalEdits,
        latest_plan: stats.latestPlanAt,
      },
      markets: {
        open: expect.any(Number),
        bets: expect.any(Object),
        points_in_circulation: expect.any(Object),
      },
    });
    expect(metrics.requests.total).toBeGreaterThan(0);
  });
});

describe('v1 writes against the real API', () => {
  it('creates, updates and deletes a plan with the API key', async () => {
    const client = open({ apiKey: TRADINGAGENTS_KEY });
    const created = await client.createPlan({
      coach: 'coach_s',
      trading_date: '2026-09-20',
      text: 'Buy the dip',
    });
    expect(created).toStrictEqual((await api.getJson(`/api/v1/plans/${created.id}`)).body);
    // Typed so the client's types must allow what the API sends for API posts.
    const noChannel: PlanChannel = { id: null, name: null };
    expect(created.channel).toStrictEqual(noChannel);
    expect(created).toMatchObject({
      coach: 's',
      trading_date: '2026-09-20',
      text: 'Buy the dip',
      author: { id: 'api-key:tradingagents', name: 'tradingagents' },
      guild_id: null,
      channel: { id: null, name: null },
      source_message_id: null,
      charts: [],
      edited_at: null,
      deleted_at: null,
    });

    const updated = await client.updatePlan(created.id, { text: 'Sell the rip' });
    expect(updated).toMatchObject({ id: created.id, text: 'Sell the rip', edited_at: expect.any(String) });
    expect((await client.getHistory(created.id)).data.map((revision) => revision.editor)).toStrictEqual([
      { id: 'api-key:tradingagents', name: 'tradingagents' },
    ]);

    await expect(client.deletePlan(created.id)).resolves.toBeUndefined();
    const gone = await apiErrorOf(client.getPlan(created.id));
    expect([gone.status, gone.code]).toStrictEqual([404, 'NOT_FOUND']);
  });

  it('turns the server errors into ApiError with status, code and the request id', async () => {
    const client = open({ apiKey: TRADINGAGENTS_KEY });
    const lastRequestId = () => {
      const requestId = api.served.at(-1)?.requestId;
      expect(requestId).toMatch(/^[A-Za-z0-9._-]+$/);
      return requestId;
    };

    const unauthorized = await apiErrorOf(
      open({ apiKey: 'cw_not_a_key' }).createPlan({ coach: 'd', text: 'x', trading_date: '2026-09-21' }),
    );
    expect([unauthorized.status, unauthorized.code]).toStrictEqual([401, 'UNAUTHORIZED']);
    expect(unauthorized.requestId).toBe(lastRequestId());
    expect(unauthorized.message).not.toContain('cw_not_a_key');
    // The API's sentence, not the status text of its `error` field ("Unauthorized").
    expect(unauthorized.message).toBe('The API key is not valid.');

    const unknown = await apiErrorOf(client.updatePlan(987_654, { text: 'x' }));
    expect([unknown.status, unknown.code]).toStrictEqual([404, 'NOT_FOUND']);
    expect(unknown.requestId).toBe(lastRequestId());
    expect(unknown.message).toBe('No plan with id 987654.');

    const badCoach = await apiErrorOf(
      client.createPlan({ coach: 'zz', text: 'x', trading_date: '2026-09-21' }),
    );
    expect([badCoach.status, badCoach.code]).toStrictEqual([400, 'VALIDATION']);
    expect(badCoach.requestId).toBe(lastRequestId());
    expect(badCoach.message).toMatch(/^Invalid coach name 'zz'/);

    // Without a key the client refuses before sending anything.
    const sent = api.served.length;
    const refused = await open()
      .deletePlan(1)
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(CoachwireClientError);
    expect((refused as CoachwireClientError).code).toBe('CONFIGURATION');
    expect(api.served).toHaveLength(sent);
  });

  it("a write through the client drops the client's own cached legacy answer", async () => {
    const client = open({ apiKey: TRADINGAGENTS_KEY });
    const date = '2026-09-22';
    expect((await client.fetchCoachPlan('i', date)).plan).toBe(`No plan available for coach_i on ${date}`);
    await client.createPlan({ coach: 'i', trading_date: date, text: 'Short below 4950' });
    expect((await client.fetchCoachPlan('i', date)).plan).toBe('Short below 4950');
  });
});
