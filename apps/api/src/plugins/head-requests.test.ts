import { FsChartStore } from '@coachwire/storage';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, createApiFixture, DISCORD_ALICE, TODAY } from '../test-support/api-fixture.js';

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(64, 1),
]);

const GUILD = '900000000000000001';

/** Headers that legitimately differ between two answers to the same request. */
const PER_ANSWER = new Set(['date', 'x-request-id', 'connection', 'keep-alive']);
/** Routes whose body changes from one request to the next (uptimes, counters): compare all but length and tag. */
const VOLATILE = ['/health', '/metrics'];

function comparable(response: LightMyRequestResponse, url: string): Record<string, unknown> {
  const volatile = VOLATILE.some((prefix) => url.startsWith(prefix));
  const headers = Object.entries(response.headers).filter(
    ([name]) =>
      !PER_ANSWER.has(name) &&
      !name.startsWith('x-ratelimit') &&
      !(volatile && (name === 'content-length' || name === 'etag')),
  );
  return { status: response.statusCode, headers: Object.fromEntries(headers) };
}

describe('HEAD on every GET route', () => {
  let fixture: ApiFixture;
  let urls: string[];
  beforeAll(async () => {
    fixture = await createApiFixture({
      overrides: { rate_limits: { api_per_ip: { max: 100_000, window_seconds: 60 } } },
    });
    const { plan } = await fixture.bot.plans.post(DISCORD_ALICE, {
      coach: 'd',
      text: 'levels',
      charts: [{ url: 'https://cdn.discordapp.com/attachments/1/2/a.png', filename: 'a.png' }],
    });
    await fixture.bot.plans.edit(DISCORD_ALICE, { planId: plan.id }, { text: 'levels, revised' });
    const { sha256 } = await new FsChartStore(fixture.config.charts.dir).put(PNG);
    await fixture.bot.store.charts.recordArchived(plan.charts[0]!.id, {
      sha256,
      size: PNG.length,
      contentType: 'image/png',
      width: 1,
      height: 1,
      archivedAt: new Date().toISOString(),
    });
    urls = [
      '/',
      '/health',
      '/health/live',
      '/health/ready',
      '/metrics',
      '/metrics/prometheus',
      '/openapi.json',
      '/docs',
      '/api/coach-plans/?coach=d',
      `/api/coach-plans/?coach=d&date=${TODAY}`,
      '/api/coach-plans/all',
      '/api/coach-plans/history?coach=d',
      '/api/v1/plans',
      '/api/v1/plans?coach=d',
      `/api/v1/plans/${plan.id}`,
      `/api/v1/plans/${plan.id}/history`,
      '/api/v1/plans/999',
      '/api/v1/coaches',
      '/api/v1/calendar',
      `/api/v1/coaches/d/plans/${TODAY}`,
      '/api/v1/coaches/d/plans/2001-01-01',
      `/api/v1/charts/${plan.charts[0]!.id}`,
      `/api/v1/charts/by-hash/${sha256}`,
      '/api/v1/markets',
      `/api/v1/markets?guild_id=${GUILD}&status=open`,
      '/api/v1/markets/1',
      '/api/v1/markets/1/trades',
      '/api/v1/markets/1/history',
      '/api/v1/markets/999',
      `/api/v1/guilds/${GUILD}/leaderboard?period=month`,
      `/api/v1/guilds/${GUILD}/users/${DISCORD_ALICE.id}`,
      '/api/v1/coaches/d/calls',
      '/api/v1/calendar',
    ];
    await fixture.coachwire.services.markets.create(
      DISCORD_ALICE,
      { guildId: GUILD, idempotencyKey: 'head-market' },
      { question: 'Up?', mechanism: 'cpmm', closesAt: '2026-11-21T21:00:00Z', planId: plan.id },
    );
  });
  afterAll(() => fixture.close());

  it('covers every GET path the API documents (the event stream has its own test)', async () => {
    const documented = Object.entries(
      (await fixture.app.inject('/openapi.json')).json().paths as Record<string, object>,
    )
      .filter(([path, operations]) => 'get' in operations && path !== '/api/v1/events')
      .map(([path]) => new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/?]+')}/?(\\?.*)?$`));
    for (const pattern of documented)
      expect(
        urls.some((url) => pattern.test(url)),
        String(pattern),
      ).toBe(true);
  });

  it('answers what the GET answers, without a body, with and without validators', async () => {
    const { app } = fixture;
    for (const url of urls) {
      const plain = await app.inject({ url });
      const etag = plain.headers.etag as string | undefined;
      const validators: Record<string, string>[] = [
        {},
        { 'if-none-match': '*' },
        { 'if-none-match': 'W/"not-this-one"' },
        { 'if-modified-since': new Date(Date.now() + 86_400_000).toUTCString() },
        ...(etag === undefined ? [] : [{ 'if-none-match': etag }, { 'if-none-match': `"x", ${etag}` }]),
      ];
      for (const headers of validators) {
        const label = `${url} ${JSON.stringify(headers)}`;
        const get = await app.inject({ method: 'GET', url, headers });
        const head = await app.inject({ method: 'HEAD', url, headers });
        expect(get.statusCode, label).toBeLessThan(500);
        expect(comparable(head, url), label).toStrictEqual(comparable(get, url));
        expect(head.body, label).toBe('');
      }
    }
  });

  it('revalidates a plan with its own ETag on HEAD as on GET', async () => {
    const { app } = fixture;
    for (const url of ['/api/v1/coaches', '/api/v1/plans', '/api/v1/plans/1', '/api/v1/plans/1/history']) {
      const etag = (await app.inject({ url })).headers.etag as string;
      for (const ifNoneMatch of ['*', etag]) {
        const head = await app.inject({ method: 'HEAD', url, headers: { 'if-none-match': ifNoneMatch } });
        expect(head.statusCode, url).toBe(304);
        expect(head.headers['content-length'], url).toBeUndefined();
        expect(head.headers.etag, url).toBe(etag);
      }
    }
  });
});
