import { FsChartStore } from '@coachwire/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiFixture,
  createApiFixture,
  DISCORD_ALICE,
  FIXED_CLOCK,
  type FixtureOptions,
  TODAY,
  TRADER_KEY,
} from './test-support/api-fixture.js';
import { listenOnLoopback } from './test-support/listen.js';
import { ALICE_ID, BOB_ID, freshKey, GUILD_ID } from './test-support/market-requests.js';
import { OpenApiContract, type OpenApiDocument } from './test-support/openapi-contract.js';

// Every answer below, good or bad, goes over real HTTP and is checked against the OpenAPI document the same
// API serves: a status, a field, a type or a Content-Type the document does not promise fails the test, since
// integrations generate their clients from that document.

interface Server {
  readonly fixture: ApiFixture;
  readonly contract: OpenApiContract;
  call(
    method: string,
    path: string,
    init?: { headers?: Record<string, string>; body?: unknown; key?: boolean },
  ): Promise<{ status: number; headers: Headers; body: string; json: unknown }>;
  close(): Promise<void>;
}

async function startServer(options: FixtureOptions = {}): Promise<Server> {
  const fixture = await createApiFixture(options);
  const base = await listenOnLoopback(fixture.app);
  const document = (await (
    await fetch(`${base}/openapi.json`, { headers: { authorization: `Bearer ${TRADER_KEY}` } })
  ).json()) as OpenApiDocument;
  const contract = new OpenApiContract(document);
  return {
    fixture,
    contract,
    call(method, path, init = {}) {
      const headers: Record<string, string> = {};
      if (init.key ?? method !== 'GET') headers.authorization = `Bearer ${TRADER_KEY}`;
      let body: string | undefined;
      if (init.body !== undefined) {
        body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
        headers['content-type'] = 'application/json';
      }
      return contract.request(base, method, path, {
        headers: { ...headers, ...init.headers },
        ...(body === undefined ? {} : { body }),
      });
    },
    async close() {
      await fixture.close();
    },
  };
}

/** A clock the test moves, starting at the fixtures' fixed "now". */
function movableClock() {
  let now = FIXED_CLOCK.now();
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

describe('the API answers as its served OpenAPI document says', () => {
  const clock = movableClock();
  let server: Server;
  beforeAll(async () => {
    server = await startServer({ clock });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('on the legacy routes, good and bad requests, and revalidations', async () => {
    const { call } = server;
    await server.fixture.bot.plans.post(DISCORD_ALICE, { coach: 'd', text: 'legacy levels' });
    for (const query of ['?coach=d', `?coach=coach_D&date=${TODAY}`, '?coach=i', '?coach=zz', '?date=bad']) {
      await call('GET', `/api/coach-plans/${query}`);
      await call('GET', `/api/coach-plans/all${query}`);
      await call('GET', `/api/coach-plans/history${query}`);
    }
    const plan = await call('GET', '/api/coach-plans/?coach=d');
    expect(plan.status).toBe(200);
    const etag = plan.headers.get('etag') ?? '';
    expect(
      (await call('GET', '/api/coach-plans/?coach=d', { headers: { 'if-none-match': etag } })).status,
    ).toBe(304);
    await call('GET', '/');
  });

  it('on the plan routes: reads, conditional reads, writes and their refusals', async () => {
    const { call } = server;
    const created = await call('POST', '/api/v1/plans', { body: { coach: 's', text: 'swing levels' } });
    expect(created.status).toBe(201);
    const id = (created.json as { id: number }).id;
    expect((await call('POST', '/api/v1/plans', { body: { coach: 's', text: 'swing, again' } })).status).toBe(
      200,
    );
    for (const body of [
      {},
      { coach: 'd' },
      { coach: 'd', text: 5 },
      { coach: 'zz', text: 'x' },
      '{"coach":',
      [],
    ]) {
      expect((await call('POST', '/api/v1/plans', { body })).status).toBeGreaterThanOrEqual(400);
    }
    expect(
      (await call('POST', '/api/v1/plans', { body: { coach: 'd', text: 'x' }, key: false })).status,
    ).toBe(401);
    const tooLarge = await call('POST', '/api/v1/plans', { body: { coach: 'd', text: 'x'.repeat(300_000) } });
    expect(tooLarge.status).toBe(413);
    const notJson = await call('POST', '/api/v1/plans', {
      body: 'coach=d&text=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(notJson.status).toBe(415);

    const list = await call('GET', '/api/v1/plans?limit=1');
    const cursor = (list.json as { next_cursor: string | null }).next_cursor;
    if (cursor) await call('GET', `/api/v1/plans?limit=1&cursor=${encodeURIComponent(cursor)}`);
    for (const query of ['?limit=0', '?limit=abc', '?cursor=garbage', '?date=2026-13-45', '?coach=d']) {
      await call('GET', `/api/v1/plans${query}`);
    }
    const listEtag = list.headers.get('etag') ?? '';
    expect(
      (await call('GET', '/api/v1/plans?limit=1', { headers: { 'if-none-match': listEtag } })).status,
    ).toBe(304);

    for (const path of [`/api/v1/plans/${id}`, `/api/v1/plans/${id}/history`]) {
      const read = await call('GET', path);
      expect(read.status).toBe(200);
      expect(
        (await call('GET', path, { headers: { 'if-none-match': read.headers.get('etag') ?? '' } })).status,
      ).toBe(304);
      await call('HEAD', path);
    }
    for (const bad of ['0', 'abc', '99999999', '9007199254740992']) {
      await call('GET', `/api/v1/plans/${bad}`);
      await call('GET', `/api/v1/plans/${bad}/history`);
    }
    await call('GET', '/api/v1/coaches');
    for (const path of [`s/plans/${TODAY}`, 'd/plans/bad', `zz/plans/${TODAY}`, 'd/plans/2099-01-02']) {
      await call('GET', `/api/v1/coaches/${path}`);
    }
    await call('GET', '/api/v1/calendar');
    await call('GET', '/api/v1/calendar?from=2026-11-01&to=2026-11-30');

    expect((await call('PATCH', `/api/v1/plans/${id}`, { body: { text: 'edited' } })).status).toBe(200);
    await call('PATCH', `/api/v1/plans/${id}`, { body: { text: 5 } });
    await call('PATCH', '/api/v1/plans/99999999', { body: { text: 'x' } });
    const notMine = (await server.fixture.bot.plans.post(DISCORD_ALICE, { coach: 'n', text: 'news' })).plan
      .id;
    expect((await call('PATCH', `/api/v1/plans/${notMine}`, { body: { text: 'x' } })).status).toBe(403);
    expect((await call('DELETE', `/api/v1/plans/${id}`)).status).toBe(204);
    expect((await call('DELETE', `/api/v1/plans/${id}`)).status).toBe(404);
  });

  it('on the market routes: every read and write, and the refusals a trade can meet', async () => {
    const { call } = server;
    const write = (path: string, body: unknown, key = freshKey()) =>
      call('POST', path, { body, headers: { 'idempotency-key': key } });
    const market = {
      guild_id: GUILD_ID,
      user_id: ALICE_ID,
      question: 'Will SPY close up?',
      mechanism: 'cpmm',
      closes_at: '2026-11-21T21:00:00Z',
    };
    const created = await write('/api/v1/markets', market, 'contract-create');
    expect(created.status).toBe(201);
    const id = (created.json as { id: number }).id;
    const replay = await write('/api/v1/markets', market, 'contract-create');
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(
      (await write('/api/v1/markets', { ...market, question: 'Other?' }, 'contract-create')).status,
    ).toBe(409);
    for (const bad of [
      { ...market, mechanism: 'xyz' },
      { ...market, closes_at: 'bad' },
      { ...market, subsidy: '100' },
    ]) {
      expect((await write('/api/v1/markets', bad)).status).toBe(400);
    }
    expect((await call('POST', '/api/v1/markets', { body: market })).status).toBe(400);
    const pool = await write('/api/v1/markets', { ...market, mechanism: 'pool', options: ['A', 'B', 'C'] });
    const poolId = (pool.json as { id: number }).id;

    await call('POST', `/api/v1/markets/${id}/quote`, { body: { option: 'Yes', amount: 10 } });
    await call('POST', `/api/v1/markets/${id}/quote`, { body: { option: 'Yes', side: 'sell', shares: 1 } });
    await call('POST', `/api/v1/markets/${id}/quote`, { body: { option: 'Maybe', amount: 10 } });
    await call('POST', `/api/v1/markets/${poolId}/quote`, { body: { option: 'A', amount: 10 } });
    const bet = { user_id: BOB_ID, option: 'Yes', amount: 50 };
    expect((await write(`/api/v1/markets/${id}/bets`, bet)).status).toBe(201);
    await write(`/api/v1/markets/${poolId}/bets`, { ...bet, option: 'B' });
    const moved = await write(`/api/v1/markets/${id}/bets`, { ...bet, min_shares: 1_000_000 });
    expect((moved.json as { code: string }).code).toBe('PRICE_MOVED');
    const poor = await write(`/api/v1/markets/${id}/bets`, { ...bet, amount: 5000 });
    expect((poor.json as { code: string }).code).toBe('INSUFFICIENT_BALANCE');
    expect((await write(`/api/v1/markets/${id}/bets`, { ...bet, option: 'Maybe' })).status).toBe(404);
    expect((await write('/api/v1/markets/999999/bets', bet)).status).toBe(404);
    expect((await write(`/api/v1/markets/${id}/bets`, { ...bet, amount: 1.5 })).status).toBe(400);
    await write(`/api/v1/markets/${id}/sells`, { user_id: BOB_ID, option: 'Yes', shares: 10 });
    await write(`/api/v1/markets/${id}/sells`, { user_id: BOB_ID, option: 'No', shares: 10 });
    const grants = `/api/v1/guilds/${GUILD_ID}/users/${BOB_ID}/grants`;
    expect((await write(grants, { amount: 100, reason: 'contract' })).status).toBe(201);
    expect((await write(grants, { amount: -1_000_000, reason: 'contract' })).status).toBe(409);

    for (const path of [
      '/api/v1/markets',
      `/api/v1/markets?guild_id=${GUILD_ID}&status=open&limit=1`,
      '/api/v1/markets?status=bogus',
      `/api/v1/markets/${id}`,
      `/api/v1/markets/${poolId}`,
      `/api/v1/markets/${id}/trades?limit=1`,
      `/api/v1/markets/${id}/history?points=2`,
      '/api/v1/markets/999999',
      '/api/v1/markets/abc/trades',
      `/api/v1/guilds/${GUILD_ID}/leaderboard?period=month`,
      `/api/v1/guilds/${GUILD_ID}/users/${BOB_ID}`,
      '/api/v1/coaches/d/calls',
      '/api/v1/coaches/zz/calls',
    ]) {
      const read = await call('GET', path);
      const etag = read.headers.get('etag');
      if (read.status === 200 && etag) {
        expect((await call('GET', path, { headers: { 'if-none-match': etag } })).status).toBe(304);
      }
    }

    expect((await write(`/api/v1/markets/${id}/resolve`, { user_id: ALICE_ID, outcome: 'Yes' })).status).toBe(
      200,
    );
    expect(
      (await write(`/api/v1/markets/${id}/unresolve`, { user_id: ALICE_ID, reason: 'oops' })).status,
    ).toBe(200);
    expect((await write(`/api/v1/markets/${id}/cancel`, { user_id: ALICE_ID })).status).toBe(200);
    expect((await write(`/api/v1/markets/${id}/cancel`, { user_id: ALICE_ID })).status).toBe(409);
    clock.advance(2 * 24 * 3600 * 1000);
    const closed = await write(`/api/v1/markets/${poolId}/bets`, { ...bet, option: 'A' });
    expect((closed.json as { code: string }).code).toBe('MARKET_CLOSED');
  });

  it('on the event stream, chart and operations routes', async () => {
    const { call } = server;
    for (const query of ['?types=bogus', '?last_event_id=abc', '?market_id=0']) {
      expect((await call('GET', `/api/v1/events${query}`)).status).toBe(400);
    }
    await call('HEAD', '/api/v1/events');
    const { plan } = await server.fixture.bot.plans.post(DISCORD_ALICE, {
      coach: 'i',
      text: 'intraday levels',
      charts: [{ url: 'https://cdn.discordapp.com/attachments/1/2/levels.png', filename: 'levels.png' }],
    });
    const image = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.alloc(64),
    ]);
    const { sha256 } = await new FsChartStore(server.fixture.config.charts.dir).put(image);
    const chartId = plan.charts[0]?.id ?? 0;
    await server.fixture.bot.store.charts.recordArchived(chartId, {
      sha256,
      size: image.length,
      contentType: 'image/png',
      width: 8,
      height: 8,
      archivedAt: new Date(FIXED_CLOCK.now()).toISOString(),
    });
    const chart = `/api/v1/charts/${chartId}`;
    expect((await call('GET', chart)).status).toBe(200);
    expect((await call('GET', chart, { headers: { range: 'bytes=0-3' } })).status).toBe(206);
    expect((await call('GET', chart, { headers: { range: 'bytes=500-' } })).status).toBe(416);
    expect((await call('GET', chart, { headers: { 'if-none-match': `"${sha256}"` } })).status).toBe(304);
    for (const path of [`/api/v1/charts/by-hash/${sha256}`, '/api/v1/charts/999', '/api/v1/charts/abc']) {
      await call('GET', path);
    }
    await call('GET', `/api/v1/charts/by-hash/${'a'.repeat(64)}`);
    for (const path of ['/health', '/health/live', '/health/ready', '/metrics', '/metrics/prometheus']) {
      expect((await call('GET', path)).status).toBe(200);
    }
  });
});

describe('the OpenAPI document also covers what a deployment configures', () => {
  it('documents the 401 of every read when reads need a key', async () => {
    const server = await startServer({ overrides: { api: { require_key_for_reads: true } } });
    try {
      for (const path of [
        '/api/coach-plans/?coach=d',
        '/api/v1/plans',
        '/api/v1/plans/1',
        '/api/v1/markets',
        `/api/v1/guilds/${GUILD_ID}/leaderboard`,
        '/api/v1/charts/1',
        '/api/v1/events',
        '/metrics',
        '/metrics/prometheus',
      ]) {
        expect((await server.call('GET', path, { key: false })).status, path).toBe(401);
      }
    } finally {
      await server.close();
    }
  });

  it('documents the 429 of a client past its rate limit, with its Retry-After', async () => {
    const server = await startServer({
      overrides: { rate_limits: { api_per_ip: { max: 2, window_seconds: 60 } } },
    });
    try {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 3; attempt++) {
        statuses.push((await server.call('GET', '/api/v1/plans')).status);
      }
      expect(statuses).toEqual([200, 200, 429]);
    } finally {
      await server.close();
    }
  });
});
