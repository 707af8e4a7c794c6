import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, createApiFixture, TODAY } from '../test-support/api-fixture.js';
import { prefersHtml } from './dashboard.js';

const CHROME_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
const PAGE =
  '<!doctype html><title>Coachwire</title><script type="module" src="/app/assets/index-abc123.js"></script>';
const SCRIPT = `console.log(${JSON.stringify('x'.repeat(2000))});`;

describe('prefersHtml', () => {
  it('is true for a browser navigation', () => {
    expect(prefersHtml(CHROME_ACCEPT)).toBe(true);
    expect(prefersHtml('text/html')).toBe(true);
  });

  it('is false for programs: no Accept, */*, JSON, or HTML ranked at most as high as JSON', () => {
    expect(prefersHtml(undefined)).toBe(false);
    expect(prefersHtml('*/*')).toBe(false);
    expect(prefersHtml('application/json')).toBe(false);
    expect(prefersHtml('application/json, text/html')).toBe(false);
    expect(prefersHtml('text/html;q=0.5, application/json')).toBe(false);
    expect(prefersHtml('text/html;q=bogus, */*;q=0.1')).toBe(false);
  });
});

describe('GET / and /api/v1/calendar', () => {
  let fixture: ApiFixture;
  beforeAll(async () => {
    fixture = await createApiFixture();
  });
  afterAll(async () => {
    await fixture.close();
  });

  it('redirects a browser to the dashboard', async () => {
    const response = await fixture.app.inject({ url: '/', headers: { accept: CHROME_ACCEPT } });
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('/app/');
    expect(response.headers.vary).toContain('Accept');
  });

  it('keeps the JSON answer for programs', async () => {
    for (const accept of [undefined, '*/*', 'application/json']) {
      const response = await fixture.app.inject({ url: '/', headers: accept ? { accept } : {} });
      expect(response.statusCode).toBe(200);
      expect(response.json().name).toBe('Coachwire API');
      expect(response.headers.vary).toContain('Accept');
      // CORS's own Vary stays: a shared cache must key the answer on the origin too.
      expect(response.headers.vary).toContain('Origin');
    }
  });

  it("answers the configured timezone and today's trading date, never cached", async () => {
    const response = await fixture.app.inject({ url: '/api/v1/calendar' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toStrictEqual({
      timezone: 'America/New_York',
      today: TODAY,
      now: '2026-11-20T15:00:00.000Z',
    });
    expect(response.headers['cache-control']).toBe('no-cache');
  });
});

describe('the dashboard under /app/', () => {
  let dir: string;
  let fixture: ApiFixture;
  const previous = process.env.COACHWIRE_WEB_DIR;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'coachwire-web-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), PAGE);
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), SCRIPT);
    writeFileSync(join(dir, 'assets', 'index-abc123.js.gz'), gzipSync(SCRIPT));
    process.env.COACHWIRE_WEB_DIR = dir;
    fixture = await createApiFixture({ overrides: { api: { require_key_for_reads: true } } });
  });
  afterAll(async () => {
    await fixture.close();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    if (previous === undefined) delete process.env.COACHWIRE_WEB_DIR;
    else process.env.COACHWIRE_WEB_DIR = previous;
  });

  it('serves the page without a key, revalidated, with a content security policy', async () => {
    const response = await fixture.app.inject({ url: '/app/' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe(PAGE);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('serves the same page for client-side routes', async () => {
    for (const url of ['/app/markets/7', '/app/coaches/d', '/app']) {
      const response = await fixture.app.inject({ url });
      expect(response.statusCode, url).toBe(200);
      expect(response.body).toBe(PAGE);
    }
  });

  it('caches hashed assets for a year and sends the gzipped copy to clients that accept it', async () => {
    const plain = await fixture.app.inject({ url: '/app/assets/index-abc123.js' });
    expect(plain.statusCode).toBe(200);
    expect(plain.body).toBe(SCRIPT);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const gzipped = await fixture.app.inject({
      url: '/app/assets/index-abc123.js',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.rawPayload.length).toBeLessThan(SCRIPT.length);
  });

  it('answers a missing asset with a JSON 404, not the page', async () => {
    const response = await fixture.app.inject({ url: '/app/assets/index-gone.js' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('the dashboard when it is not built', () => {
  it('answers /app/ with a 404 that says how to build it', async () => {
    const previous = process.env.COACHWIRE_WEB_DIR;
    process.env.COACHWIRE_WEB_DIR = join(tmpdir(), 'coachwire-web-never-built');
    const fixture = await createApiFixture();
    try {
      const response = await fixture.app.inject({ url: '/app/' });
      expect(response.statusCode).toBe(404);
      expect(response.json().message).toContain('pnpm --filter @coachwire/web build');
    } finally {
      await fixture.close();
      if (previous === undefined) delete process.env.COACHWIRE_WEB_DIR;
      else process.env.COACHWIRE_WEB_DIR = previous;
    }
  });
});
