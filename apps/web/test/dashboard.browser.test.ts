import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { COACHES, type SeededPlan, seedPlans } from './support/seed';

// The dashboard in real Chromium against the real API process on a real SQLite file.

const addDays = (date: string, days: number) => {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + days);
  return next.toISOString().slice(0, 10);
};

let api: LiveApi;
let browser: Browser;
let today: string;
let seeded: SeededPlan[];

describe('the dashboard against a seeded database', () => {
  beforeAll(async () => {
    api = await startLiveApi();
    today = (await api.get<{ today: string }>('/api/v1/calendar')).today;
    seeded = await seedPlans(api, today, addDays(today, -1));
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  const open = (path: string) => openPage(browser, api.baseUrl, path);

  it("shows each coach's plan on the landing page, and its charts load", async () => {
    const { page, errors } = await open('/app/');
    for (const coach of COACHES) await page.locator(`[data-coach="${coach}"] .plan-text`).waitFor();
    expect(await page.locator('.plan-card').count()).toBe(COACHES.length);
    await page.waitForFunction(() => {
      const images = [...document.querySelectorAll<HTMLImageElement>('.charts img')];
      return images.length === 10 && images.every((image) => image.complete && image.naturalWidth === 480);
    });
    expect(await page.locator('[data-coach="i"] .meta').textContent()).toContain('edited');
    expect(errors).toStrictEqual([]);
    await page.context().close();
  });

  it('shows plan text as text: markup is not run, line breaks stay, http links are clickable', async () => {
    const { page } = await open('/app/');
    const text = page.locator('[data-coach="d"] .plan-text');
    await text.waitFor();
    expect(await text.textContent()).toContain('Watch <b>NVDA</b> <img src=x onerror="window.__pwned=1">');
    expect(await text.locator('img, b').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(((await text.textContent()) ?? '').split('\n')).toHaveLength(3);
    const link = text.locator('a');
    expect(await link.getAttribute('href')).toBe('https://example.com/levels?d=1');
    expect(await link.getAttribute('rel')).toContain('noopener');
    await page.context().close();
  });

  it('opens a chart thumbnail full size, and Escape closes it', async () => {
    const { page } = await open('/app/');
    await page.locator('[data-coach="s"] .chart-thumb').first().click();
    const full = page.locator('dialog[open] img');
    await full.waitFor();
    expect(await full.evaluate((image: HTMLImageElement) => image.naturalWidth)).toBe(480);
    await page.keyboard.press('Escape');
    await page.locator('dialog[open]').waitFor({ state: 'detached' });
    await page.context().close();
  });

  it('shows a plan created through the keyed API within 2 s, without a reload', async () => {
    const day = addDays(today, -2);
    const { page, errors } = await open(`/app/?date=${day}`);
    await page.locator('[data-coach="i"] .no-plan').waitFor();
    await page.locator('[data-live="true"]').waitFor();
    await page.evaluate(() => {
      (window as { __sameDocument?: boolean }).__sameDocument = true;
    });
    const text = `Live plan posted at ${new Date().toISOString()}`;
    const response = await api.post('/api/v1/plans', { coach: 'i', date: day, text });
    expect(response.status).toBe(201);
    // The 2 s is the promise to a person watching the page.
    await page.locator('[data-coach="i"] .plan-text', { hasText: text }).waitFor({ timeout: 2_000 });
    expect(await page.evaluate(() => (window as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    expect(errors).toStrictEqual([]);
    await page.context().close();
  });

  it('shows another day with the date picker', async () => {
    const yesterday = addDays(today, -1);
    const { page } = await open('/app/');
    await page.locator('[data-coach="d"] .plan-text').waitFor();
    await page.getByRole('button', { name: 'Previous day' }).click();
    await page
      .locator('[data-coach="d"] .plan-text', { hasText: `Earlier plan of coach d on ${yesterday}` })
      .waitFor();
    expect(new URL(page.url()).searchParams.get('date')).toBe(yesterday);
    expect(await page.locator('[data-coach="n"] .no-plan').textContent()).toBe('No plan yet.');
    await page.locator('input[type="date"]').fill(today);
    await page.locator('[data-coach="d"] .plan-text', { hasText: 'Long SPY above 450' }).waitFor();
    await page.context().close();
  });

  it('adds one history entry for a date typed into the date field, not one per keystroke', async () => {
    const yesterday = addDays(today, -1);
    const [year, month, day] = yesterday.split('-');
    const { page } = await open('/app/');
    await page.locator('[data-coach="d"] .plan-text').waitFor();
    await page.locator('input[type="date"]').focus();
    // Chromium's date field takes month, day, then year; the year passes through 0002, 0020 and 0202.
    await page.keyboard.type(`${month}${day}${year}`);
    await page
      .locator('[data-coach="d"] .plan-text', { hasText: `Earlier plan of coach d on ${yesterday}` })
      .waitFor();
    expect(new URL(page.url()).searchParams.get('date')).toBe(yesterday);
    await page.goBack();
    await page.waitForURL((url) => !url.search.includes('date='), { timeout: 5_000 });
    expect(await page.locator('main h1').textContent()).toMatch(/^Today /);
    await page.context().close();
  });

  it('names each page in the document title, also after client-side navigation', async () => {
    const { page } = await open('/app/');
    await page.locator('[data-coach="d"] .plan-text').waitFor();
    expect(await page.title()).toBe("Today's plans · Coachwire");
    await page.getByRole('button', { name: 'Previous day' }).click();
    await page.waitForFunction(() => document.title.startsWith('Plans for '));
    await page.getByRole('link', { name: 'Status' }).click();
    await page.waitForFunction(() => document.title === 'Status · Coachwire');
    await page.getByRole('link', { name: 'Leaderboard' }).click();
    await page.waitForFunction(() => document.title === 'Leaderboard · Coachwire');
    await page.goto(`${api.baseUrl}/app/coaches/i`);
    await page.waitForFunction(() => /^Coach I\b.* · Coachwire$/.test(document.title));
    await page.goto(`${api.baseUrl}/app/no-such-page`);
    await page.waitForFunction(() => document.title === 'Page not found · Coachwire');
    await page.context().close();
  });

  it('moves focus to the new page after a click on a link, and leaves it alone when only the date changes', async () => {
    const { page } = await open('/app/');
    await page.locator('[data-coach="d"] .plan-text').waitFor();
    await page.getByRole('button', { name: 'Previous day' }).click();
    await page.waitForFunction(() => document.title.startsWith('Plans for '));
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'Previous day',
    );
    await page.getByRole('link', { name: 'Status' }).click();
    await page.waitForFunction(() => document.title === 'Status · Coachwire');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    await page.context().close();
  });

  it('shows today, and says why, for a ?date= that is not a calendar date', async () => {
    // A hand-edited or truncated link: 31 February used to show as 3 March, and month 13 broke the page.
    for (const bad of ['2026-02-31', '2026-13-45']) {
      const { page, errors } = await open(`/app/?date=${bad}`);
      await page
        .locator('[data-coach="d"] .plan-text', { hasText: 'Long SPY above 450' })
        .waitFor({ timeout: 5_000 });
      expect(await page.locator('main h1').textContent()).toMatch(/^Today /);
      expect(await page.locator('main .notice-error').textContent()).toContain(`“${bad}” is not a date`);
      expect(errors, bad).toStrictEqual([]);
      await page.context().close();
    }
  });

  it("reaches the next trading day's plans with the date picker when coaches posted ahead", async () => {
    // On a weekend or market holiday the coaches post for the next trading day (mock mode does too): the
    // README sends members to "the date picker's next day" for them.
    const ahead = addDays(today, 1);
    const response = await api.post('/api/v1/plans', { coach: 'n', date: ahead, text: 'Plan posted ahead.' });
    expect(response.status).toBe(201);
    const { page, errors } = await open('/app/');
    await page.locator('[data-coach="d"] .plan-text').waitFor();
    await page.getByRole('button', { name: 'Next day' }).click({ timeout: 5_000 });
    await page.locator('[data-coach="n"] .plan-text', { hasText: 'Plan posted ahead.' }).waitFor();
    expect(new URL(page.url()).searchParams.get('date')).toBe(ahead);
    // No plan lies further ahead: the picker stops there rather than paging through empty days.
    expect(await page.getByRole('button', { name: 'Next day' }).isDisabled()).toBe(true);
    expect(await page.locator('input[type="date"]').getAttribute('max')).toBe(ahead);
    expect(errors).toStrictEqual([]);
    await page.context().close();
  });

  it("shows a coach's past plans newest first, with each edit's old and new text side by side", async () => {
    const { page } = await open('/app/coaches/i');
    await page.getByRole('button', { name: 'Show edit history' }).click();
    const revision = page.locator('.revision').first();
    await revision.waitFor();
    expect(await revision.locator('section[aria-label="Before"]').textContent()).toContain(
      seeded.find((plan) => plan.coach === 'i')!.text,
    );
    expect(await revision.locator('section[aria-label="After"]').textContent()).toContain('revised');
    await page.context().close();
  });

  it('shows the bot as disconnected when no heartbeat is fresh', async () => {
    const { page } = await open('/app/status');
    const bot = page.locator('[data-component="Discord bot"]');
    await bot.waitFor();
    expect(await bot.textContent()).toContain('disconnected');
    expect(await bot.textContent()).toContain('no heartbeat ever received');
    expect(await page.locator('[data-component="Database"]').textContent()).toContain('up');
    await page.context().close();
  });

  const PAGES: [name: string, path: string, ready: (page: Page) => Promise<void>][] = [
    ['today', '/app/', (page) => page.locator('[data-coach="n"] .plan-text').waitFor()],
    [
      'coach',
      '/app/coaches/i',
      async (page) => {
        await page.getByRole('button', { name: 'Show edit history' }).click();
        await page.locator('.revision').first().waitFor();
      },
    ],
    ['status', '/app/status', (page) => page.locator('[data-component="Discord bot"]').waitFor()],
    // Before any market exists; markets.browser.test.ts checks the market pages with markets.
    ['markets-empty', '/app/markets', (page) => page.locator('main h2').first().waitFor()],
    ['leaderboard-empty', '/app/leaderboard', (page) => page.locator('main h2').first().waitFor()],
  ];

  it.each(PAGES)(
    '%s page: no console errors, no serious accessibility violations, screenshots light and dark',
    async (name, path, ready) => {
      for (const colorScheme of ['light', 'dark'] as const) {
        for (const width of [390, 1280]) {
          const context = await newContext(browser, { width, colorScheme });
          const page = await context.newPage();
          const errors = collectErrors(page);
          await page.goto(`${api.baseUrl}${path}`);
          await ready(page);
          await page.waitForLoadState('networkidle').catch(() => undefined);
          await saveScreenshot(page, `${name}-${width}-${colorScheme}`);
          expect(errors, `${name} ${width}px ${colorScheme}`).toStrictEqual([]);
          await context.close();
        }
        // axe injects its own script, which the page's content security policy would refuse.
        const context = await newContext(browser, { colorScheme, bypassCSP: true });
        const page = await context.newPage();
        await page.goto(`${api.baseUrl}${path}`);
        await ready(page);
        const violations = await seriousViolations(page);
        expect(violations, describeViolations(violations)).toStrictEqual([]);
        await context.close();
      }
    },
  );
});
