import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ApiFixture, createApiFixture } from '../test-support/api-fixture.js';
import { ALICE_ID, GUILD_ID, marketClient } from '../test-support/market-requests.js';

describe('market metrics', () => {
  let fixture: ApiFixture;
  beforeEach(async () => {
    fixture = await createApiFixture();
  });
  afterEach(async () => {
    await fixture.close();
  });

  it('counts bets and volume by mechanism, open markets, points in circulation and bet latency', async () => {
    const client = marketClient(fixture.app);
    const cpmm = await client.createMarket();
    const pool = await client.createMarket({ mechanism: 'pool' });
    await client.bet(cpmm.id, { option: 'yes', amount: 40 });
    await client.bet(cpmm.id, { option: 'no', amount: 10 });
    await client.bet(pool.id, { option: 'yes', amount: 25 });
    await fixture.app.eventPoller.pollNow();
    const text = (await fixture.app.inject({ url: '/metrics/prometheus' })).body;
    expect(text).toContain('coachwire_bets_total{mechanism="cpmm"} 2');
    expect(text).toContain('coachwire_bets_total{mechanism="pool"} 1');
    expect(text).toContain('coachwire_bet_volume_points_total{mechanism="cpmm"} 50');
    expect(text).toContain('coachwire_markets_open 2');
    // Alice (creator) and Bob (bettor) each got the starting 1000.
    expect(text).toContain(`coachwire_points_in_circulation{guild="${GUILD_ID}"} 2000`);
    expect(text).toContain('coachwire_bet_duration_seconds_count 3');
    const json = (await fixture.app.inject({ url: '/metrics' })).json();
    expect(json.markets).toStrictEqual({
      open: 2,
      bets: { cpmm: { bets: 2, volume: 50 }, pool: { bets: 1, volume: 25 } },
      points_in_circulation: { [GUILD_ID]: 2000 },
    });
  });

  it('forgets the mechanism of a settled market and goes on counting the others', async () => {
    const client = marketClient(fixture.app);
    const kept = await client.createMarket();
    const cancelled = await client.createMarket();
    await client.bet(cancelled.id, { option: 'yes', amount: 10 });
    await fixture.app.eventPoller.pollNow();
    expect(fixture.app.marketMetrics.rememberedMarkets).toBe(2);

    const cancel = await client.post(`/api/v1/markets/${cancelled.id}/cancel`, { user_id: ALICE_ID });
    expect(cancel.statusCode).toBe(200);
    await fixture.app.eventPoller.pollNow();
    expect(fixture.app.marketMetrics.rememberedMarkets).toBe(1);

    await client.bet(kept.id, { option: 'no', amount: 5 });
    await fixture.app.eventPoller.pollNow();
    expect(fixture.app.marketMetrics.betTotals()).toStrictEqual({ cpmm: { bets: 2, volume: 15 } });
  });
});
