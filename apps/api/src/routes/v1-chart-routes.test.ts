import { FsChartStore } from '@coachwire/storage';
import { afterEach, describe, expect, it } from 'vitest';
import { parseByteRange } from '../http/byte-range.js';
import {
  type ApiFixture,
  createApiFixture,
  DISCORD_ALICE,
  TODAY,
  TRADER_KEY,
} from '../test-support/api-fixture.js';

const DISCORD_URL = 'https://cdn.discordapp.com/attachments/1/2/levels.png?ex=abc&is=def&hm=signed';
const IMAGE = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(300, 7),
]);

let fixture: ApiFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

/** Posts a plan as the bot would and archives its first chart the way the bot's archiver does. */
async function postArchivedPlan(options: { publicBaseUrl?: string; keyedReads?: boolean } = {}) {
  fixture = await createApiFixture({
    overrides: {
      charts: { public_base_url: options.publicBaseUrl ?? 'https://plans.example.test/' },
      ...(options.keyedReads ? { api: { require_key_for_reads: true } } : {}),
    },
  });
  const { plan } = await fixture.bot.plans.post(DISCORD_ALICE, {
    coach: 'd',
    text: 'levels',
    charts: [
      { url: DISCORD_URL, filename: 'levels.png', contentType: 'image/png' },
      { url: 'https://cdn.discordapp.com/attachments/1/3/later.png', filename: 'later.png' },
    ],
  });
  const store = new FsChartStore(fixture.config.charts.dir);
  const { sha256 } = await store.put(IMAGE);
  const chartId = plan.charts[0]!.id;
  await fixture.bot.store.charts.recordArchived(chartId, {
    sha256,
    size: IMAGE.length,
    contentType: 'image/png',
    width: 640,
    height: 360,
    archivedAt: new Date().toISOString(),
  });
  return { app: fixture.app, plan, chartId, sha256, fixture };
}

describe('GET /api/v1/charts/:id', () => {
  it('serves an archived chart byte for byte with its type, hash ETag and a long cache lifetime', async () => {
    const { app, chartId, sha256 } = await postArchivedPlan();
    const response = await app.inject(`/api/v1/charts/${chartId}`);
    expect(response.statusCode).toBe(200);
    expect(response.rawPayload.equals(IMAGE)).toBe(true);
    expect(response.headers['content-type']).toBe('image/png');
    expect(response.headers.etag).toBe(`"${sha256}"`);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.headers['accept-ranges']).toBe('bytes');
    expect(Number(response.headers['content-length'])).toBe(IMAGE.length);

    const byHash = await app.inject(`/api/v1/charts/by-hash/${sha256.toUpperCase()}`);
    expect(byHash.rawPayload.equals(IMAGE)).toBe(true);
    const notModified = await app.inject({
      url: `/api/v1/charts/${chartId}`,
      headers: { 'if-none-match': `"${sha256}"` },
    });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.rawPayload.length).toBe(0);
  });

  it('keeps chart answers out of shared caches when reads need a key', async () => {
    const { app, chartId } = await postArchivedPlan({ keyedReads: true });
    expect((await app.inject(`/api/v1/charts/${chartId}`)).statusCode).toBe(401);
    const keyed = await app.inject({
      url: `/api/v1/charts/${chartId}`,
      headers: { authorization: `Bearer ${TRADER_KEY}` },
    });
    expect(keyed.statusCode).toBe(200);
    expect(keyed.headers['cache-control']).toBe('private, max-age=31536000, immutable');
  });

  it('answers a byte range with 206 and Content-Range, and an impossible one with 416', async () => {
    const { app, chartId } = await postArchivedPlan();
    const partial = await app.inject({ url: `/api/v1/charts/${chartId}`, headers: { range: 'bytes=2-9' } });
    expect(partial.statusCode).toBe(206);
    expect(partial.headers['content-range']).toBe(`bytes 2-9/${IMAGE.length}`);
    expect(partial.rawPayload.equals(IMAGE.subarray(2, 10))).toBe(true);
    const suffix = await app.inject({ url: `/api/v1/charts/${chartId}`, headers: { range: 'bytes=-4' } });
    expect(suffix.rawPayload.equals(IMAGE.subarray(IMAGE.length - 4))).toBe(true);
    const outside = await app.inject({
      url: `/api/v1/charts/${chartId}`,
      headers: { range: 'bytes=99999-' },
    });
    expect(outside.statusCode).toBe(416);
    expect(outside.headers['content-range']).toBe(`bytes */${IMAGE.length}`);
    // A refusal is no copy of the image: a cache that keys on the URL alone must not keep it for a year
    // and serve it for the whole chart.
    expect(outside.headers['cache-control']).toBe('no-store');
    expect(outside.headers.etag).toBeUndefined();
  });

  it('404s for charts not archived, unknown ids and hashes, and charts of deleted plans', async () => {
    const { app, plan, chartId, fixture } = await postArchivedPlan();
    const notArchived = await app.inject(`/api/v1/charts/${plan.charts[1]!.id}`);
    expect(notArchived.statusCode).toBe(404);
    expect(notArchived.json()).toMatchObject({ code: 'NOT_FOUND', request_id: expect.any(String) });
    expect((await app.inject('/api/v1/charts/999999')).statusCode).toBe(404);
    expect((await app.inject(`/api/v1/charts/by-hash/${'0'.repeat(64)}`)).statusCode).toBe(404);
    expect((await app.inject('/api/v1/charts/by-hash/not-a-hash')).statusCode).toBe(400);
    expect((await app.inject('/api/v1/charts/abc')).statusCode).toBe(400);
    await fixture.bot.plans.delete(DISCORD_ALICE, { planId: plan.id });
    expect((await app.inject(`/api/v1/charts/${chartId}`)).statusCode).toBe(404);
  });
});

describe('stable chart URLs in plan responses', () => {
  it('gives archived charts the API URL on the legacy endpoints and keeps the Discord URL as source_url in v1', async () => {
    const { app, plan, chartId } = await postArchivedPlan();
    const stable = `https://plans.example.test/api/v1/charts/${chartId}`;
    const pending = 'https://cdn.discordapp.com/attachments/1/3/later.png';
    const legacy = (await app.inject(`/api/coach-plans/?coach=d&date=${TODAY}`)).json();
    expect(legacy.charts).toEqual([stable, pending]);
    const all = (await app.inject(`/api/coach-plans/all?date=${TODAY}`)).json();
    expect(all.coach_d.charts).toEqual([stable, pending]);
    const v1 = (await app.inject(`/api/v1/plans/${plan.id}`)).json();
    expect(v1.charts[0]).toMatchObject({
      url: stable,
      source_url: DISCORD_URL,
      sha256: expect.any(String),
      width: 640,
    });
    expect(v1.charts[1]).toMatchObject({ url: pending, source_url: pending, sha256: null });
  });

  it('drops a cached legacy answer when a chart is archived later, so the stable URL shows up', async () => {
    fixture = await createApiFixture();
    const { app } = fixture;
    const { plan } = await fixture.bot.plans.post(DISCORD_ALICE, {
      coach: 'i',
      text: 'later',
      charts: [{ url: DISCORD_URL, filename: 'levels.png' }],
    });
    await app.eventPoller.pollNow();
    const before = (await app.inject(`/api/coach-plans/?coach=i&date=${TODAY}`)).json();
    expect(before.charts).toEqual([DISCORD_URL]);
    const { sha256 } = await new FsChartStore(fixture.config.charts.dir).put(IMAGE);
    const archived = new Promise<void>((resolve) => {
      const unsubscribe = app.eventPoller.subscribe((events) => {
        if (events.some((event) => event.planId === plan.id && event.type === 'plan.updated')) {
          unsubscribe();
          resolve();
        }
      });
    });
    await fixture.bot.store.charts.recordArchived(plan.charts[0]!.id, {
      sha256,
      size: IMAGE.length,
      contentType: 'image/png',
      width: null,
      height: null,
      archivedAt: new Date().toISOString(),
    });
    await archived;
    const after = (await app.inject(`/api/coach-plans/?coach=i&date=${TODAY}`)).json();
    expect(after.charts).toEqual([`http://127.0.0.1:5000/api/v1/charts/${plan.charts[0]!.id}`]);
  });

  it("defaults the base to the API's own address", async () => {
    const { app, chartId } = await postArchivedPlan({ publicBaseUrl: '' });
    const legacy = (await app.inject(`/api/coach-plans/?coach=d&date=${TODAY}`)).json();
    expect(legacy.charts[0]).toBe(`http://127.0.0.1:5000/api/v1/charts/${chartId}`);
  });
});

describe('parseByteRange', () => {
  it('reads single ranges and ignores what it cannot serve as one range', () => {
    expect(parseByteRange('bytes=0-0', 10)).toEqual({ start: 0, end: 0 });
    expect(parseByteRange('bytes=5-', 10)).toEqual({ start: 5, end: 9 });
    expect(parseByteRange('bytes=8-100', 10)).toEqual({ start: 8, end: 9 });
    expect(parseByteRange('bytes=-100', 10)).toEqual({ start: 0, end: 9 });
    expect(parseByteRange('bytes=0-1,4-5', 10)).toBeNull();
    expect(parseByteRange('items=0-1', 10)).toBeNull();
    expect(parseByteRange('bytes=5-2', 10)).toBe('unsatisfiable');
    expect(parseByteRange('bytes=-0', 10)).toBe('unsatisfiable');
  });
});
