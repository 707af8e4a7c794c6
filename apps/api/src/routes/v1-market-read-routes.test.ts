import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ApiFixture, createApiFixture, DISCORD_ALICE, TODAY } from '../test-support/api-fixture.js';
import { ALICE_ID, BOB_ID, GUILD_ID, marketClient } from '../test-support/market-requests.js';

describe('market reads under /api/v1', () => {
  let fixture: ApiFixture;
  let client: ReturnType<typeof marketClient>;
  let nowMs = 0;
  beforeEach(async () => {
    nowMs = Date.parse('2026-11-20T15:00:00Z');
    fixture = await createApiFixture({ clock: { now: () => nowMs } });
    client = marketClient(fixture.app);
  });
  afterEach(async () => {
    await fixture.close();
  });

  it('lists markets newest first, filtered by guild, status and plan, a page at a time', async () => {
    const { plan } = await fixture.coachwire.services.plans.post(DISCORD_ALICE, {
      coach: 'd',
      text: 'ES long above 5000',
      tradingDate: TODAY,
    });
    const first = await client.createMarket({ closes_at: '2026-11-20T16:00:00Z', plan_id: plan.id });
    const second = await client.createMarket({ mechanism: 'lmsr', options: ['A', 'B', 'C'] });
    await client.createMarket({ guild_id: '900000000000000002' });
    const ids = async (query: string) =>
      (await client.get(`/api/v1/markets?${query}`)).json().data.map((market: { id: number }) => market.id);
    expect(await ids(`guild_id=${GUILD_ID}`)).toEqual([second.id, first.id]);
    expect(await ids(`plan_id=${plan.id}`)).toEqual([first.id]);
    const page = (await client.get(`/api/v1/markets?guild_id=${GUILD_ID}&limit=1`)).json();
    expect(page.data).toHaveLength(1);
    expect(await ids(`guild_id=${GUILD_ID}&limit=1&cursor=${page.next_cursor}`)).toEqual([first.id]);
    nowMs = Date.parse('2026-11-20T17:00:00Z');
    expect(await ids(`guild_id=${GUILD_ID}&status=closed`)).toEqual([first.id]);
    expect(await ids(`guild_id=${GUILD_ID}&status=open`)).toEqual([second.id]);
    for (const bad of ['status=done', 'limit=0', 'limit=101', 'cursor=abc', 'plan_id=x', 'guild_id=a%20b']) {
      const response = await client.get(`/api/v1/markets?${bad}`);
      expect({ bad, status: response.statusCode, code: response.json().code }).toEqual({
        bad,
        status: 400,
        code: 'VALIDATION',
      });
    }
  });

  it('answers one market with an ETag and a 304 when unchanged, and a 404 for an unknown id', async () => {
    const { id } = await client.createMarket();
    const response = await client.get(`/api/v1/markets/${id}`);
    expect(response.statusCode).toBe(200);
    const etag = response.headers.etag as string;
    expect(etag).toMatch(/^W\//);
    expect((await client.get(`/api/v1/markets/${id}`, { 'if-none-match': etag })).statusCode).toBe(304);
    await client.bet(id, { option: 'yes', amount: 20 });
    const after = await client.get(`/api/v1/markets/${id}`, { 'if-none-match': etag });
    expect(after.statusCode).toBe(200);
    expect(after.json()).toMatchObject({ volume: 20, bettors: 1 });
    expect((await client.get('/api/v1/markets/404')).statusCode).toBe(404);
    expect((await client.get('/api/v1/markets/0')).statusCode).toBe(400);
  });

  it('pages trades and draws the history from the opening through every trade', async () => {
    const { id } = await client.createMarket();
    for (const [user, option] of [
      [ALICE_ID, 'yes'],
      [BOB_ID, 'no'],
      [BOB_ID, 'yes'],
    ] as const) {
      await client.bet(id, { user_id: user, option, amount: 30 });
    }
    const trades = (await client.get(`/api/v1/markets/${id}/trades?limit=2`)).json();
    expect(trades.data.map((trade: { kind: string; amount: number }) => [trade.kind, trade.amount])).toEqual([
      ['buy', 30],
      ['buy', 30],
    ]);
    expect(trades.data[0]).toMatchObject({ user_id: BOB_ID, option_id: 0 });
    const rest = (await client.get(`/api/v1/markets/${id}/trades?cursor=${trades.next_cursor}`)).json();
    expect(rest).toMatchObject({ data: [{ user_id: ALICE_ID }], next_cursor: null });
    const history = (await client.get(`/api/v1/markets/${id}/history`)).json();
    expect(history.market_id).toBe(id);
    expect(history.data).toHaveLength(4);
    expect(history.data[0].probabilities['0']).toBeCloseTo(0.5, 9);
    expect(history.data[1].probabilities['0']).toBeGreaterThan(0.5);
    expect((await client.get('/api/v1/markets/77/trades')).statusCode).toBe(404);
    expect((await client.get(`/api/v1/markets/${id}/history?points=1`)).statusCode).toBe(400);
    // The fewest points allowed: the opening and the price now (the last trade), not a first trade besides.
    const two = (await client.get(`/api/v1/markets/${id}/history?points=2`)).json();
    expect(two.data).toEqual([history.data[0], history.data[3]]);
  });

  it('names the members the bot has seen beside their ids, in trades, the user and the leaderboard', async () => {
    const { id } = await client.createMarket();
    await client.bet(id, { user_id: ALICE_ID, option: 'yes', amount: 30 });
    await client.bet(id, { user_id: BOB_ID, option: 'no', amount: 20 });
    // What the bot records when a member acts in Discord (only Bob did here).
    await fixture.coachwire.repositories.memberNames.remember(
      GUILD_ID,
      BOB_ID,
      'Bob 🐂',
      '2026-11-20T15:00:00Z',
    );
    fixture.app.marketCache.clear();
    const trades = (await client.get(`/api/v1/markets/${id}/trades`)).json();
    expect(
      trades.data.map((trade: { user_id: string; user_name: string | null }) => [
        trade.user_id,
        trade.user_name,
      ]),
    ).toEqual([
      [BOB_ID, 'Bob 🐂'],
      [ALICE_ID, null],
    ]);
    expect((await client.get(`/api/v1/guilds/${GUILD_ID}/users/${BOB_ID}`)).json()).toMatchObject({
      user_id: BOB_ID,
      user_name: 'Bob 🐂',
    });
    const board = (await client.get(`/api/v1/guilds/${GUILD_ID}/leaderboard`)).json();
    const named = Object.fromEntries(
      board.data.map((entry: { user_id: string; user_name: string | null }) => [
        entry.user_id,
        entry.user_name,
      ]),
    );
    expect(named[BOB_ID]).toBe('Bob 🐂');
    expect(named[ALICE_ID]).toBeNull();
  });

  it("shows a user's balance, positions and profit, and one not seen before unopened at the start", async () => {
    const { id } = await client.createMarket();
    await client.bet(id, { option: 'yes', amount: 100 });
    const bob = (await client.get(`/api/v1/guilds/${GUILD_ID}/users/${BOB_ID}`)).json();
    expect(bob).toMatchObject({ guild_id: GUILD_ID, user_id: BOB_ID, balance: 900 });
    expect(bob.positions).toEqual([expect.objectContaining({ market_id: id, option_id: 0, invested: 100 })]);
    expect(bob.positions[0].value).toBeGreaterThan(0);
    expect(bob.profit).toBe(-100 + bob.positions[0].value);
    const fresh = (await client.get(`/api/v1/guilds/${GUILD_ID}/users/444`)).json();
    expect(fresh).toEqual({
      guild_id: GUILD_ID,
      user_id: '444',
      user_name: null,
      balance: 1000,
      positions: [],
      profit: 0,
      realized_profit: 0,
    });
    const board = (await client.get(`/api/v1/guilds/${GUILD_ID}/leaderboard?period=month`)).json();
    expect(board.period).toBe('month');
    // A public read opens nothing: no account, and no guild that only a read named (one metric label each).
    expect(board.data.map((entry: { user_id: string }) => entry.user_id)).not.toContain('444');
    expect((await client.get('/api/v1/guilds/read-only-guild/users/555')).json().balance).toBe(1000);
    const metrics = (await client.get('/metrics')).json();
    expect(Object.keys(metrics.markets.points_in_circulation)).toEqual([GUILD_ID]);
    expect((await client.get(`/api/v1/guilds/${GUILD_ID}/leaderboard?period=year`)).statusCode).toBe(400);
  });

  it("lists a coach's calls with the crowd's probability at close and the scoreboard", async () => {
    const { plan } = await fixture.coachwire.services.plans.post(DISCORD_ALICE, {
      coach: 'd',
      text: 'ES long above 5000',
      tradingDate: TODAY,
    });
    const market = await client.createMarket({ plan_id: plan.id, closes_at: '2026-11-20T21:00:00Z' });
    await client.bet(market.id, { option: 'yes', amount: 100 });
    const open = (await client.get('/api/v1/coaches/d/calls')).json();
    expect(open.calls).toEqual([
      expect.objectContaining({
        plan_id: plan.id,
        market_id: market.id,
        status: 'open',
        probability_at_close: null,
      }),
    ]);
    nowMs = Date.parse('2026-11-20T22:00:00Z');
    await client.post(`/api/v1/markets/${market.id}/resolve`, { user_id: ALICE_ID, outcome: 'yes' });
    const calls = (await client.get(`/api/v1/coaches/d/calls?from=${TODAY}&to=${TODAY}`)).json();
    expect(calls.calls[0]).toMatchObject({ status: 'resolved', resolution: 'Yes' });
    expect(calls.calls[0].probability_at_close).toBeGreaterThan(0.5);
    expect(calls.scoreboard).toMatchObject({ calls: 1, resolved: 1, hits: 1, hit_rate: 1 });
    expect(calls.scoreboard.brier_score).toBeCloseTo((1 - calls.calls[0].probability_at_close) ** 2, 9);
    expect((await client.get('/api/v1/coaches/d/calls?from=20261120')).statusCode).toBe(400);
    // The market is the coach's call wherever it shows: its coach_id, and the bot's /coach scoreboard.
    expect((await client.get(`/api/v1/markets/${market.id}`)).json().coach_id).toBe('d');
    const board = await fixture.coachwire.services.markets.coachScoreboard(GUILD_ID, 'd');
    expect(board).toMatchObject({ callsResolved: 1, hits: 1, hitRate: 1 });
    expect(board.brierScore).toBeCloseTo(calls.scoreboard.brier_score, 12);
  });

  it('never serves a market as open from the cache once its close has passed', async () => {
    const { plan } = await fixture.coachwire.services.plans.post(DISCORD_ALICE, {
      coach: 'd',
      text: 'ES long above 5000',
      tradingDate: TODAY,
    });
    const market = await client.createMarket({ plan_id: plan.id, closes_at: '2026-11-20T21:00:00Z' });
    const urls = [
      `/api/v1/markets/${market.id}`,
      `/api/v1/markets?guild_id=${GUILD_ID}`,
      `/api/v1/coaches/d/calls`,
    ];
    const statuses = async () => {
      const [one, list, calls] = await Promise.all(urls.map(async (url) => (await client.get(url)).json()));
      return [one.status, list.data[0].status, calls.calls[0].status, calls.calls[0].probability_at_close];
    };
    // Read (and cached) two seconds before the close, asked again a second after it: no event came between.
    nowMs = Date.parse('2026-11-20T20:59:58Z');
    expect(await statuses()).toEqual(['open', 'open', 'open', null]);
    nowMs = Date.parse('2026-11-20T21:00:01Z');
    const [one, list, call, atClose] = await statuses();
    expect([one, list, call]).toEqual(['closed', 'closed', 'closed']);
    expect(atClose).toBeCloseTo(0.5, 9);
  });
});
