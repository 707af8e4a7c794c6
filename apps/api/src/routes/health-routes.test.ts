import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiStorageOf } from '../api-storage.js';
import { buildApp } from '../app.js';
import {
  type ApiFixture,
  createApiFixture,
  DISCORD_ALICE,
  FIXED_CLOCK,
} from '../test-support/api-fixture.js';

const secondsBefore = (seconds: number) => new Date(FIXED_CLOCK.now() - seconds * 1000).toISOString();

describe('/health, /health/live, /health/ready', () => {
  let fixture: ApiFixture;
  beforeEach(async () => {
    fixture = await createApiFixture();
  });
  afterEach(async () => {
    await fixture.close();
  });

  const get = (url: string) => fixture.app.inject({ url });

  it('answers load shedding on /health and /health/ready with a 503 in the error shape, not a 500; never sheds /health/live', async () => {
    const shedding = await createApiFixture({ overrides: { api: { max_event_loop_delay_ms: 10 } } });
    // Lags the event loop: under-pressure samples it every second and sheds while the lag is over 10 ms.
    const lag = () => {
      const end = performance.now() + 100;
      while (performance.now() < end) {
        // busy
      }
    };
    try {
      // Over real HTTP: the loop must turn for under-pressure's sampling timer to run.
      await shedding.app.listen({ host: '127.0.0.1', port: 0 });
      const base = `http://127.0.0.1:${(shedding.app.server.address() as AddressInfo).port}`;
      let health = await fetch(`${base}/health`);
      for (let attempt = 0; attempt < 50 && health.status === 200; attempt++) {
        lag();
        health = await fetch(`${base}/health`);
      }
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
      lag();
      const ready = await fetch(`${base}/health/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
      // Liveness is not shed: the process answers, so an orchestrator must not restart it.
      lag();
      const [live, shed] = await Promise.all([fetch(`${base}/health/live`), fetch(`${base}/health/ready`)]);
      expect(shed.status).toBe(503);
      expect(live.status).toBe(200);
      expect(await live.json()).toStrictEqual({ status: 'ok' });
    } finally {
      await shedding.close();
    }
  });

  it('reports a healthy database with its plan count and a bot that never wrote a heartbeat', async () => {
    await fixture.bot.plans.post(DISCORD_ALICE, { coach: 'd', text: 'x' });
    const response = await get('/health');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toStrictEqual({
      status: 'healthy',
      timestamp: new Date(FIXED_CLOCK.now()).toISOString(),
      components: {
        database: { status: 'up', plan_count: 1 },
        discord_bot: {
          status: 'disconnected',
          state: 'not_running',
          last_error: null,
          mock: false,
          last_heartbeat: null,
          latency_ms: null,
          guilds: 0,
        },
      },
    });
  });

  it('reports the bot connected from a fresh heartbeat row', async () => {
    const heartbeatAt = secondsBefore(10);
    await fixture.bot.status.write({ connected: true, latencyMs: 42, guilds: 3, heartbeatAt, mock: false });
    expect((await get('/health')).json().components.discord_bot).toStrictEqual({
      status: 'connected',
      state: 'connected',
      last_error: null,
      mock: false,
      last_heartbeat: heartbeatAt,
      latency_ms: 42,
      guilds: 3,
    });
  });

  it('reports the bot disconnected when its heartbeat is older than 60 s or it says so', async () => {
    const heartbeatAt = secondsBefore(61);
    await fixture.bot.status.write({ connected: true, latencyMs: 42, guilds: 3, heartbeatAt, mock: false });
    const bot = (await get('/health')).json().components.discord_bot;
    expect(bot).toMatchObject({ status: 'disconnected', state: 'not_running', last_heartbeat: heartbeatAt });
    await fixture.bot.status.write({
      connected: false,
      latencyMs: null,
      guilds: 3,
      heartbeatAt: secondsBefore(1),
      mock: false,
    });
    expect((await get('/health')).json().components.discord_bot.status).toBe('disconnected');
  });

  it('says when the bot runs in mock mode', async () => {
    const heartbeatAt = secondsBefore(1);
    await fixture.bot.status.write({ connected: true, latencyMs: 1, guilds: 1, heartbeatAt, mock: true });
    expect((await get('/health')).json().components.discord_bot).toMatchObject({
      status: 'connected',
      mock: true,
    });
  });

  it('shows a bot that is still trying to log in as retrying, with the last error', async () => {
    const reason = 'fetch failed: getaddrinfo ENOTFOUND discord.com';
    await fixture.bot.status.write({
      connected: false,
      latencyMs: null,
      guilds: 0,
      heartbeatAt: secondsBefore(5),
      mock: false,
      state: 'retrying',
      lastError: reason,
    });
    expect((await get('/health')).json().components.discord_bot).toMatchObject({
      status: 'disconnected',
      state: 'retrying',
      last_error: reason,
    });
  });

  it('keeps a bot that gave up as failed, with its reason, after its heartbeat went stale', async () => {
    await fixture.bot.status.write({
      connected: false,
      latencyMs: null,
      guilds: 0,
      heartbeatAt: secondsBefore(3600),
      mock: false,
      state: 'failed',
      lastError: 'connect ECONNREFUSED 127.0.0.1:9',
    });
    const response = await get('/health');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      status: 'healthy',
      components: {
        discord_bot: {
          status: 'disconnected',
          state: 'failed',
          last_error: 'connect ECONNREFUSED 127.0.0.1:9',
        },
      },
    });
  });

  it('answers live and ready while the database answers', async () => {
    expect((await get('/health/live')).json()).toStrictEqual({ status: 'ok' });
    const ready = await get('/health/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toStrictEqual({ status: 'ok' });
  });

  it('turns unhealthy with 503 (ready too, live not) when the database handle is closed', async () => {
    await fixture.coachwire.store.close();
    const health = await get('/health');
    expect(health.statusCode).toBe(503);
    expect(health.json()).toMatchObject({
      status: 'unhealthy',
      components: { database: { status: 'down' } },
    });
    expect((await get('/health/ready')).statusCode).toBe(503);
    expect((await get('/health/live')).statusCode).toBe(200);
  });

  it('answers 503 after its deadline when the database never answers (a pool whose connections are all busy)', async () => {
    const never = () => new Promise<never>(() => {});
    const storage = {
      ...apiStorageOf(fixture.coachwire),
      ping: never,
      countLivePlans: never,
      readBotStatus: never,
    };
    const app = await buildApp({
      config: fixture.config,
      storage,
      logger: pino({ level: 'silent' }),
      healthDeadlineMs: 50,
    });
    try {
      const health = await app.inject({ url: '/health' });
      expect(health.statusCode).toBe(503);
      expect(health.json()).toMatchObject({
        status: 'unhealthy',
        components: { database: { status: 'down' }, discord_bot: { state: 'not_running' } },
      });
      expect((await app.inject({ url: '/health/ready' })).json()).toStrictEqual({ status: 'unavailable' });
      expect((await app.inject({ url: '/health/live' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('/metrics and /metrics/prometheus', () => {
  let fixture: ApiFixture;
  beforeEach(async () => {
    fixture = await createApiFixture();
  });
  afterEach(async () => {
    await fixture.close();
  });

  it('reports request counts and database totals in the old JSON shape', async () => {
    const { plan } = await fixture.bot.plans.post(DISCORD_ALICE, {
      coach: 'd',
      text: 'x',
      charts: [{ url: 'https://cdn.discordapp.com/1.png', filename: '1.png' }],
    });
    await fixture.bot.plans.edit(DISCORD_ALICE, { planId: plan.id }, { text: 'y' });
    await fixture.app.inject({ url: '/api/coach-plans/?coach=d' });
    await fixture.app.inject({ url: '/api/coach-plans/?coach=zz' });
    const body = (await fixture.app.inject({ url: '/metrics' })).json();
    expect(Object.keys(body).sort()).toStrictEqual([
      'database',
      'markets',
      'requests',
      'timestamp',
      'uptime_seconds',
    ]);
    expect(body.markets).toStrictEqual({ open: 0, bets: {}, points_in_circulation: {} });
    expect(body.requests).toStrictEqual({ total: 2, success: 1, error: 1, error_rate_percent: 50 });
    expect(body.database).toStrictEqual({
      total_plans: 1,
      total_charts: 1,
      total_edits: 1,
      latest_plan: plan.createdAt,
    });
  });

  it('exposes request series by route and status, plan count, event lag and process metrics', async () => {
    await fixture.bot.plans.post(DISCORD_ALICE, { coach: 'd', text: 'x' });
    await fixture.app.inject({ url: '/api/coach-plans/?coach=d' });
    await fixture.app.inject({ url: '/no/such/route' });
    const response = await fixture.app.inject({ url: '/metrics/prometheus' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    const text = response.body;
    expect(text).toContain(
      'coachwire_api_requests_total{method="GET",route="/api/coach-plans/",status="200"} 1',
    );
    expect(text).toContain('coachwire_api_requests_total{method="GET",route="(unmatched)",status="404"} 1');
    expect(text).toMatch(
      /coachwire_api_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/api\/coach-plans\/",status="200"\}/,
    );
    expect(text).toContain('coachwire_api_plans 1');
    expect(text).toMatch(/coachwire_api_event_lag \d+/);
    expect(text).toContain('coachwire_api_process_cpu_user_seconds_total');
  });

  it('answers the probes even while the caller is over its rate limit', async () => {
    const limited = await createApiFixture({ overrides: { rate_limits: { api_per_ip: { max: 2 } } } });
    try {
      const statuses = [];
      for (let index = 0; index < 3; index++) {
        statuses.push((await limited.app.inject({ url: '/api/v1/coaches' })).statusCode);
      }
      expect(statuses).toEqual([200, 200, 429]);
      for (const url of ['/health', '/health/live', '/health/ready']) {
        expect((await limited.app.inject({ url })).statusCode).toBe(200);
      }
    } finally {
      await limited.close();
    }
  });
});
