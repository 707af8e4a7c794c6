import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatProbability } from '../src/format/probability';
import type { Market } from '../src/markets/market-types';
import {
  collectErrors,
  describeViolations,
  launchBrowser,
  newContext,
  openPage,
  saveScreenshot,
  seriousViolations,
} from './support/browser';
import { type LiveApi, startLiveApi } from './support/live-api';
import { ALICE, bet, GUILD, openMarket, type SeededMarkets, seedMarkets } from './support/seed-markets';

// The market pages in real Chromium against the real API on a real SQLite file, with markets opened and
// bets placed through the keyed API, as an integration would.

let api: LiveApi;
let browser: Browser;
let markets: SeededMarkets;

const yesOf = (market: Market) => market.options.find((option) => option.label === 'Yes')!.probability;
const yesterdayOf = (date: string) => {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - 1);
  return day.toISOString().slice(0, 10);
};

async function planOn(date: string, text: string): Promise<number> {
  const response = await api.post('/api/v1/plans', { coach: 'd', date, text });
  if (response.status !== 201) throw new Error(`Seeding a plan failed: ${await response.text()}`);
  return ((await response.json()) as { id: number }).id;
}

beforeAll(async () => {
  api = await startLiveApi();
  const today = (await api.get<{ today: string }>('/api/v1/calendar')).today;
  markets = await seedMarkets(api, {
    today: await planOn(today, 'Long SPY above 450.'),
    yesterday: await planOn(yesterdayOf(today), 'Short QQQ below 380.'),
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
});

const open = (path: string) => openPage(browser, api.baseUrl, path);

describe('market pages against the real market routes', () => {
  it("shows the crowd's probability on the plan card of a coach call", async () => {
    const { page, errors } = await open('/app/');
    const crowd = page.locator('[data-coach="d"] .crowd');
    await crowd.waitFor();
    expect(await crowd.textContent()).toBe(`Crowd ${formatProbability(yesOf(markets.coachCall))} yes`);
    expect(await crowd.getAttribute('href')).toBe(`/app/markets/${markets.coachCall.id}`);
    expect(errors).toStrictEqual([]);
    await page.context().close();
  });

  it('lists the open markets with a probability per option, volume and time to close', async () => {
    const { page } = await open('/app/markets');
    await page.locator('.market-card').first().waitFor();
    expect(await page.locator('.market-card').count()).toBe(3);
    const coachCall = page.locator('.market-card', { hasText: markets.coachCall.question });
    const text = await coachCall.textContent();
    expect(text).toContain(`Yes${formatProbability(yesOf(markets.coachCall))}`);
    expect(text).toContain('80 pts traded · 2 bettors · closes in');
    const pool = await page.locator('.market-card', { hasText: markets.pool.question }).textContent();
    expect(pool).toContain('Above 60075% of the pot · 300 pts · odds 1.33×');
    expect(await page.locator('.market-card', { hasText: markets.resolvedCall.question }).count()).toBe(0);
    await page.context().close();
  });

  it('a market page draws its chart, and a bet placed through the API moves the shown probability', async () => {
    const { page, errors } = await open(`/app/markets/${markets.coachCall.id}`);
    const canvas = page.locator('.uplot canvas');
    await canvas.waitFor();
    expect(await canvas.evaluate((element: HTMLCanvasElement) => element.width)).toBeGreaterThan(150);
    const before = formatProbability(yesOf(markets.coachCall));
    const yesRow = page.locator('.prob-row', { hasText: 'Yes' });
    expect(await yesRow.locator('.prob-value').textContent()).toBe(before);
    expect(await page.locator('table.trades tbody tr').count()).toBe(2);
    await page.locator('[data-live="true"]').waitFor();
    await page.evaluate(() => {
      (window as { __sameDocument?: boolean }).__sameDocument = true;
    });

    const after = formatProbability(yesOf(await bet(api, markets.coachCall.id, ALICE, 'yes', 150)));
    expect(after).not.toBe(before);
    // Well inside the pages' 15 s poll: only the event stream can make these changes this soon.
    const live = { timeout: 5_000 };
    await yesRow.locator('.prob-value', { hasText: after }).waitFor(live);
    await page.locator('.line-chart figcaption', { hasText: `Yes now ${after}` }).waitFor(live);
    await page.locator('table.trades tbody tr').nth(2).waitFor(live);
    expect(await page.evaluate(() => (window as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    expect(errors).toStrictEqual([]);
    await page.context().close();
  });

  it("shows the leaderboard and a coach's scoreboard from resolved calls", async () => {
    const { page, errors } = await open('/app/leaderboard');
    const rows = page.locator('table.leaderboard tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('table.leaderboard').textContent()).toContain(ALICE);
    await page.goto(`${api.baseUrl}/app/coaches/d`);
    await page.locator('#scoreboard-heading').waitFor();
    const stats = await page.locator('.stats').textContent();
    expect(stats).toContain('Calls2');
    expect(stats).toContain('Hit rate100%');
    await page.locator('section[aria-labelledby="scoreboard-heading"] canvas').waitFor();
    expect(errors).toStrictEqual([]);
    await page.context().close();
  });

  const PAGES: [name: string, path: () => string, ready: (page: Page) => Promise<void>][] = [
    ['markets', () => '/app/markets', (page) => page.locator('.market-card').first().waitFor()],
    [
      'market',
      () => `/app/markets/${markets.coachCall.id}`,
      (page) => page.locator('.uplot canvas').waitFor(),
    ],
    ['market-pool', () => `/app/markets/${markets.pool.id}`, (page) => page.locator('.prob-bars').waitFor()],
    [
      'market-resolved',
      () => `/app/markets/${markets.resolvedCall.id}`,
      (page) => page.locator('.uplot canvas').waitFor(),
    ],
    [
      'leaderboard',
      () => `/app/leaderboard?guild=${GUILD}`,
      (page) => page.locator('table.leaderboard tbody tr').first().waitFor(),
    ],
    [
      'coach-scoreboard',
      () => '/app/coaches/d',
      (page) => page.locator('section[aria-labelledby="scoreboard-heading"] canvas').waitFor(),
    ],
  ];

  it.each(PAGES)(
    '%s page: no console errors, no serious accessibility violations, screenshots light and dark',
    async (name, path, ready) => {
      for (const colorScheme of ['light', 'dark'] as const) {
        for (const width of [390, 1280]) {
          const context = await newContext(browser, { width, colorScheme });
          const page = await context.newPage();
          const errors = collectErrors(page);
          await page.goto(`${api.baseUrl}${path()}`);
          await ready(page);
          await page.waitForLoadState('networkidle').catch(() => undefined);
          await saveScreenshot(page, `${name}-${width}-${colorScheme}`);
          expect(errors, `${name} ${width}px ${colorScheme}`).toStrictEqual([]);
          await context.close();
        }
        // axe injects its own script, which the page's content security policy would refuse.
        const context = await newContext(browser, { colorScheme, bypassCSP: true });
        const page = await context.newPage();
        await page.goto(`${api.baseUrl}${path()}`);
        await ready(page);
        const violations = await seriousViolations(page);
        expect(violations, describeViolations(violations)).toStrictEqual([]);
        await context.close();
      }
    },
  );
});

describe("a coach's scoreboard chart", () => {
  it("shows each call on its trading date in any viewer's timezone", async () => {
    const today = (await api.get<{ today: string }>('/api/v1/calendar')).today;
    // Noon UTC, where the chart puts a trading date, is already the next day in New Zealand (UTC+13).
    const context = await browser.newContext({ timezoneId: 'Pacific/Auckland', locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${api.baseUrl}/app/coaches/d`);
    const chart = page.locator('section[aria-labelledby="scoreboard-heading"]');
    await chart.locator('canvas').waitFor();
    const over = (await chart.locator('.u-over').boundingBox())!;
    const shown = new Set<string>();
    for (let x = 1; x < over.width; x += 4) {
      await page.mouse.move(over.x + x, over.y + over.height / 2);
      shown.add((await chart.locator('.u-legend .u-series').first().locator('.u-value').textContent()) ?? '');
    }
    shown.delete('--');
    // The resolved call is on yesterday's plan: its point is that date, with no clock time.
    expect([...shown]).toStrictEqual([yesterdayOf(today)]);
    await context.close();
  });
});

describe('market tables on a phone', () => {
  it('can be scrolled sideways with the keyboard (axe: scrollable-region-focusable)', async () => {
    for (const path of [`/app/markets/${markets.coachCall.id}`, `/app/leaderboard?guild=${GUILD}`]) {
      const context = await newContext(browser, { width: 360, bypassCSP: true });
      const page = await context.newPage();
      await page.goto(`${api.baseUrl}${path}`);
      await page.locator('table tbody tr').first().waitFor();
      const violations = await seriousViolations(page);
      expect(violations, `${path}: ${describeViolations(violations)}`).toStrictEqual([]);
      await context.close();
    }
  });
});

describe('market pages with long member-written text', () => {
  it('wraps a long unbroken question and option label instead of widening the page', async () => {
    const market = await openMarket(api, {
      question: `Will ${'SPYQQQIWMDIA'.repeat(20)} close green?`,
      mechanism: 'lmsr',
      options: ['Short', 'X'.repeat(50)],
      closes_at: new Date(Date.now() + 86_400_000).toISOString(),
    });
    for (const path of ['/app/markets', `/app/markets/${market.id}`]) {
      for (const width of [360, 1280]) {
        const context = await newContext(browser, { width });
        const page = await context.newPage();
        await page.goto(`${api.baseUrl}${path}`);
        await page.locator('.prob-label', { hasText: 'XXXXX' }).first().waitFor();
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        expect(overflow, `${path} at ${width}px`).toBe(0);
        await context.close();
      }
    }
  });
});
