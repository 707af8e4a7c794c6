import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type CoachwireClient,
  createClient,
  InsufficientBalanceError,
  MarketClosedError,
  type MarketEvent,
  PriceMovedError,
} from '@coachwire/webhook-client';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ALICE,
  type RealApi,
  startRealApi,
  TODAY,
  TRADINGAGENTS_KEY,
} from './test-support/real-coachwire-api.js';

// Contract tests: the client's market methods against the real API app over a real SQLite file.

const GUILD = '900000000000000001';
let api: RealApi;
const clients: CoachwireClient[] = [];
const open = (options: Omit<Parameters<typeof createClient>[0], 'baseUrl'> = {}) => {
  const client = createClient({ baseUrl: api.baseUrl, retries: 0, apiKey: TRADINGAGENTS_KEY, ...options });
  clients.push(client);
  return client;
};
const tradeCount = (marketId: number) =>
  (
    api.botDatabase.sqlite.prepare('SELECT count(*) AS n FROM trades WHERE market_id = ?').get(marketId) as {
      n: number;
    }
  ).n;

beforeAll(async () => {
  api = await startRealApi();
});
afterAll(async () => {
  for (const client of clients) await client.close();
  await api?.close();
});

const newMarket = (
  client: CoachwireClient,
  extra: Partial<Parameters<CoachwireClient['createMarket']>[0]> = {},
) =>
  client.createMarket({
    guildId: GUILD,
    userId: ALICE.id,
    question: 'Will SPY close above 600?',
    mechanism: 'cpmm',
    closesAt: '2026-11-21T21:00:00Z',
    ...extra,
  });

describe('markets through the webhook client', () => {
  it('opens, bets, sells and reads: every new method against the real API', async () => {
    const client = open();
    const { plan } = await api.bot.post(ALICE, { coach: 'd', text: 'ES long', tradingDate: TODAY });
    const market = await newMarket(client, { planId: plan.id, subsidy: 300 });
    expect(market).toMatchObject({ guild_id: GUILD, status: 'open', plan_id: plan.id, volume: 0 });
    const bet = await client.placeBet(market.id, { userId: '222', option: 'Yes', amount: 50 });
    expect(bet.bet).toMatchObject({ market_id: market.id, user_id: '222', option_id: 0, amount: 50 });
    expect(bet.balance).toBe(950);
    const sold = await client.sell(market.id, { userId: '222', option: 0, shares: bet.bet.shares / 2 });
    expect(sold.sell.option_id).toBe(0);
    expect((await client.getMarket(market.id)).bettors).toBe(1);
    const history = await client.getMarketHistory(market.id);
    expect(history.data).toHaveLength(3);
    const pages = [];
    for await (const page of client.listMarkets({ guild_id: GUILD, limit: 1 })) pages.push(page);
    expect(pages.flatMap((page) => page.data).map((entry) => entry.id)).toContain(market.id);
    expect(pages.every((page) => page.data.length === 1)).toBe(true);
    const board = await client.getLeaderboard(GUILD, 'all');
    expect(board.data.map((entry) => entry.user_id)).toContain('222');
    const calls = await client.getCoachCalls('d', { from: TODAY, to: TODAY });
    expect(calls.calls[0]).toMatchObject({ plan_id: plan.id, market_id: market.id, status: 'open' });
  });

  it('quotes a bet and a sell, and the bet then gives what the quote said', async () => {
    const client = open();
    const market = await newMarket(client);
    const buy = await client.quote(market.id, { option: 'Yes', amount: 40 });
    expect(buy).toMatchObject({ market_id: market.id, option_id: 0, side: 'buy', amount: 40 });
    expect(tradeCount(market.id)).toBe(0);
    const bet = await client.placeBet(market.id, { userId: '444', option: 'Yes', amount: 40 });
    expect(bet.bet.shares).toBe(buy.shares);
    const sell = await client.quote(market.id, { option: 0, side: 'sell', shares: bet.bet.shares });
    expect(sell).toMatchObject({ market_id: market.id, side: 'sell', shares: bet.bet.shares });
    expect(tradeCount(market.id)).toBe(1);
  });

  it('throws the typed market errors, with the fresh quote on PRICE_MOVED', async () => {
    const client = open();
    const market = await newMarket(client);
    await expect(
      client.placeBet(market.id, { userId: '333', option: 'yes', amount: 5000 }),
    ).rejects.toBeInstanceOf(InsufficientBalanceError);
    const moved = await client
      .placeBet(market.id, { userId: '333', option: 'yes', amount: 10, minShares: 1_000 })
      .catch((error: unknown) => error);
    expect(moved).toBeInstanceOf(PriceMovedError);
    expect((moved as PriceMovedError).quote).toMatchObject({ market_id: market.id, side: 'buy', amount: 10 });
    expect((moved as PriceMovedError).idempotencyKey).toEqual(expect.any(String));
    await request(`${api.baseUrl}/api/v1/markets/${market.id}/cancel`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TRADINGAGENTS_KEY}`,
        'idempotency-key': `cancel-${market.id}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ user_id: ALICE.id }),
    });
    await expect(
      client.placeBet(market.id, { userId: '333', option: 'yes', amount: 5 }),
    ).rejects.toBeInstanceOf(MarketClosedError);
  });

  it('serves cached market answers while subscribed, and drops them when market.traded arrives', async () => {
    const reader = open();
    const trader = open();
    const market = await newMarket(trader);
    const events: MarketEvent[] = [];
    let opened!: () => void;
    const isOpen = new Promise<void>((resolve) => (opened = resolve));
    const stop = reader.subscribeMarkets((event) => events.push(event), { onOpen: () => opened() });
    await isOpen;
    const before = await reader.getMarket(market.id);
    const served = api.served.length;
    expect(await reader.getMarket(market.id)).toBe(before);
    expect(api.served.length).toBe(served);
    await trader.placeBet(market.id, { userId: '444', option: 'no', amount: 40 });
    await api.changesSeen();
    await new Promise<void>((resolve) => {
      const check = () =>
        events.some((event) => event.type === 'market.traded') ? resolve() : setTimeout(check, 5);
      check();
    });
    const after = await reader.getMarket(market.id);
    expect(after.volume).toBe(40);
    expect(after.options[1]!.probability).toBeGreaterThan(before.options[1]!.probability!);
    stop();
  });

  it("trusts its cache only for what a filtered subscription covers: another market's answer stays fresh", async () => {
    const reader = open();
    const trader = open();
    const watched = await newMarket(trader);
    const other = await newMarket(trader);
    let opened!: () => void;
    const isOpen = new Promise<void>((resolve) => (opened = resolve));
    const stop = reader.subscribeMarkets(() => {}, { marketId: watched.id, onOpen: () => opened() });
    await isOpen;
    // The watched market is served from the cache; the other one is asked for again every time.
    const kept = await reader.getMarket(watched.id);
    const served = api.served.length;
    expect(await reader.getMarket(watched.id)).toBe(kept);
    expect(api.served.length).toBe(served);
    expect((await reader.getMarket(other.id)).volume).toBe(0);
    await trader.placeBet(other.id, { userId: '445', option: 'yes', amount: 25 });
    expect((await reader.getMarket(other.id)).volume).toBe(25);
    stop();
  });

  it('bets exactly once when the first answer is delayed past the timeout and the retry reuses the key', async () => {
    // A proxy in front of the API that holds back the first bet's answer past the client's timeout.
    let delayed = false;
    const proxy: Server = createServer(async (incoming, outgoing) => {
      const chunks: Buffer[] = [];
      for await (const chunk of incoming) chunks.push(chunk as Buffer);
      const headers = { ...incoming.headers };
      delete headers.host;
      delete headers.connection;
      const upstream = await request(api.baseUrl + incoming.url, {
        method: incoming.method as 'POST',
        headers: headers as Record<string, string>,
        ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
      });
      const body = await upstream.body.text();
      if (incoming.method === 'POST' && incoming.url?.endsWith('/bets') && !delayed) {
        delayed = true;
        await new Promise((resolve) => setTimeout(resolve, 1_500));
      }
      outgoing.writeHead(upstream.statusCode, { 'content-type': 'application/json' }).end(body);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const baseUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      const client = createClient({
        baseUrl,
        apiKey: TRADINGAGENTS_KEY,
        timeoutMs: 300,
        retries: 3,
        retry: { baseDelayMs: 50 },
      });
      clients.push(client);
      const market = await newMarket(open());
      const result = await client.placeBet(market.id, { userId: '555', option: 'yes', amount: 25 });
      expect(delayed).toBe(true);
      expect(result.bet.amount).toBe(25);
      expect(tradeCount(market.id)).toBe(1);
      expect(result.balance).toBe(975);
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});
