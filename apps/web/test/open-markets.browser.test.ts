import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage } from './support/browser';
import { type LiveApi, startLiveApi } from './support/live-api';
import { openMarket } from './support/seed-markets';

// More open markets than one page of the API's list holds (100), on their own API: the Markets page must show
// them all, sorted by closing time, not the newest 100.

const MARKETS = 101;

let api: LiveApi;
let browser: Browser;

beforeAll(async () => {
  api = await startLiveApi();
  const hour = 3_600_000;
  // The first opened (the oldest, on the list's second page) closes soonest; the others later, in order.
  // Pool markets: their creator pays no subsidy, so one member can open them all.
  for (let index = 0; index < MARKETS; index++) {
    await openMarket(api, {
      question: `Open market ${index}: will SPY close above ${500 + index}?`,
      mechanism: 'pool',
      closes_at: new Date(Date.now() + (index + 2) * hour).toISOString(),
    });
  }
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await api?.close();
});

describe('the Markets page with more open markets than one page', () => {
  it('shows every open market, the oldest (closing soonest) first', async () => {
    const { page, errors } = await openPage(browser, api.baseUrl, '/app/markets');
    const cards = page.locator('.market-card');
    await cards.first().waitFor();
    expect(await cards.count()).toBe(MARKETS);
    expect(await cards.first().textContent()).toContain('Open market 0: will SPY close above 500?');
    expect(await page.getByText('more are open').count()).toBe(0);
    expect(errors).toStrictEqual([]);
    await page.context().close();
  });
});
