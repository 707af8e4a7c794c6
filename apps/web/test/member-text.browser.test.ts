import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage } from './support/browser';
import { type LiveApi, startLiveApi } from './support/live-api';

// Names come from Discord (here, the API key's name, which the API shows as the author): a right-to-left
// override in one (U+202E, which Discord allows in nicknames) must not reverse the line it is shown in.

const REVERSING_NAME = '\u202Eevil';

let api: LiveApi;
let browser: Browser;

beforeAll(async () => {
  api = await startLiveApi({ keyName: REVERSING_NAME });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
});

describe('member-written names', () => {
  it("keep a right-to-left override inside the author's name", async () => {
    const posted = await api.post('/api/v1/plans', { coach: 'd', text: 'First version.' });
    expect(posted.status).toBe(201);
    const { id } = (await posted.json()) as { id: number };
    expect((await api.patch(`/api/v1/plans/${id}`, { text: 'Second version.' })).status).toBe(200);

    const { page } = await openPage(browser, api.baseUrl, '/app/');
    const meta = page.locator('[data-coach="d"] .meta');
    await meta.locator('time').first().waitFor();
    // Left to right as written: the name, then "· posted <time>".
    const name = (await meta.locator('.author').boundingBox())!;
    const postedAt = (await meta.locator('time').first().boundingBox())!;
    expect(postedAt.x).toBeGreaterThanOrEqual(name.x + name.width);

    await page.goto(`${api.baseUrl}/app/coaches/d`);
    await page.getByRole('button', { name: 'Show edit history' }).click();
    const edit = page.locator('.revision .meta').first();
    await edit.locator('time').waitFor();
    const editedBy = (await edit.locator('bdi').boundingBox())!;
    const editedAt = (await edit.locator('time').boundingBox())!;
    expect(editedAt.x).toBeGreaterThanOrEqual(editedBy.x + editedBy.width);
    await page.context().close();
  });
});
