import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type ApiFixture, createApiFixture } from '../test-support/api-fixture.js';
import { marketClient } from '../test-support/market-requests.js';

describe("the API's market sweep", () => {
  let fixture: ApiFixture;
  let nowMs = Date.parse('2026-11-20T15:00:00Z');
  beforeEach(async () => {
    nowMs = Date.parse('2026-11-20T15:00:00Z');
    fixture = await createApiFixture({
      clock: { now: () => nowMs },
      overrides: { markets: { sweep_seconds: 0.05, auto_cancel_after_days: 7 } },
    });
  });
  afterEach(() => fixture.close());

  it('auto-cancels a market left unresolved, every markets.sweep_seconds, with no request asking', async () => {
    const client = marketClient(fixture.app);
    const { id } = await client.createMarket();
    await client.bet(id, { option: 'yes', amount: 100 });
    nowMs += 9 * 86_400_000;
    await vi.waitFor(
      async () => expect((await client.get(`/api/v1/markets/${id}`)).json().status).toBe('cancelled'),
      { timeout: 10_000, interval: 25 },
    );
    expect((await fixture.coachwire.store.checkLedger()).violations).toEqual([]);
  });
});
