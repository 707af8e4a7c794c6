import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeApi, legacyPlan, sendJson, startFakeApi } from './test-support/fake-coachwire-api.js';

const run = promisify(execFile);
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

let workDir: string;
let projectDir: string;
let api: FakeApi;
let servedPlan: unknown;

// Installs the packed tarball the way npm would lay it out, without a registry: the tarball is
// extracted into node_modules and its one dependency, undici, is linked from this workspace.
beforeAll(async () => {
  // Built when missing or older than any source file, so the tarball holds the code under test.
  const built = join(packageDir, 'dist', 'index.cjs');
  const sources = join(packageDir, 'src');
  const newest = Math.max(...readdirSync(sources).map((name) => statSync(join(sources, name)).mtimeMs));
  if (!existsSync(built) || statSync(built).mtimeMs < newest) {
    await run('pnpm', ['--filter', '@coachwire/webhook-client', 'build'], { cwd: packageDir });
  }
  workDir = mkdtempSync(join(tmpdir(), 'coachwire-pack-'));
  await run('pnpm', ['pack', '--pack-destination', workDir], { cwd: packageDir });
  const tarball = readdirSync(workDir).find((name) => name.endsWith('.tgz'))!;
  projectDir = join(workDir, 'consumer');
  const installed = join(projectDir, 'node_modules', '@coachwire', 'webhook-client');
  mkdirSync(installed, { recursive: true });
  await run('tar', ['-xzf', join(workDir, tarball), '-C', installed, '--strip-components=1']);
  symlinkSync(
    realpathSync(join(packageDir, 'node_modules', 'undici')),
    join(projectDir, 'node_modules', 'undici'),
    'dir',
  );
  writeFileSync(join(projectDir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));

  // The installed package talks to this package's own fake API (the contract tests in apps/contract-tests run
  // the client against the real API app).
  servedPlan = legacyPlan('Long above 5000');
  api = await startFakeApi((request, response) => {
    if (request.url === '/api/coach-plans/?coach=d&date=2026-11-20')
      return sendJson(response, 200, servedPlan);
    if (request.url === '/api/v1/markets/7') return sendJson(response, 200, { id: 7, status: 'open' });
    if (request.url === '/api/v1/markets/7/bets' && request.method === 'POST') {
      // The key the client generated comes back in the quote, so the script can see one was sent.
      return sendJson(response, 409, {
        error: 'Conflict',
        message: 'The price moved',
        code: 'PRICE_MOVED',
        quote: { market_id: 7, shares: 9.5, key: request.headers['idempotency-key'] ?? null },
      });
    }
    return sendJson(response, 404, { error: 'Not Found', message: request.url, code: 'NOT_FOUND' });
  });
}, 120_000);

afterAll(async () => {
  await api?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

const script = (load: string) => `${load}
const client = createClient({ baseUrl: process.argv[2] });
client.fetchCoachPlan('coach_d', '2026-11-20').then(async (plan) => {
  console.log(JSON.stringify({ plan, isError: new ApiError(400, 'X', 'm') instanceof CoachwireClientError }));
  await client.close();
});
`;

const marketScript = (load: string) => `${load}
const client = createClient({ baseUrl: process.argv[2], apiKey: 'k', retries: 0 });
(async () => {
  const market = await client.getMarket(7);
  const error = await client.placeBet(7, { userId: '1', option: 'yes', amount: 5, minShares: 10 }).catch((e) => e);
  const methods = ['listMarkets', 'getMarketHistory', 'getLeaderboard', 'getCoachCalls', 'quote', 'sell',
    'createMarket', 'subscribeMarkets'].filter((name) => typeof client[name] === 'function');
  console.log(JSON.stringify({ market, moved: error instanceof PriceMovedError, quote: error.quote, methods,
    typed: [InsufficientBalanceError, MarketClosedError].every((type) => typeof type === 'function') }));
  await client.close();
})();
`;

describe('published package', () => {
  it('carries the market methods and typed errors, in ESM and CommonJS', async () => {
    const names = 'createClient, PriceMovedError, InsufficientBalanceError, MarketClosedError';
    writeFileSync(
      join(projectDir, 'markets.mjs'),
      marketScript(`import { ${names} } from '@coachwire/webhook-client';`),
    );
    writeFileSync(
      join(projectDir, 'markets.cjs'),
      marketScript(`const { ${names} } = require('@coachwire/webhook-client');`),
    );
    for (const file of ['markets.mjs', 'markets.cjs']) {
      const { stdout } = await run('node', [file, api.baseUrl], { cwd: projectDir });
      const result = JSON.parse(stdout);
      expect(result).toMatchObject({ market: { id: 7, status: 'open' }, moved: true, typed: true });
      expect(result.quote).toMatchObject({ market_id: 7, shares: 9.5 });
      expect(result.quote.key).toMatch(/^[0-9a-f-]{36}$/);
      expect(result.methods).toHaveLength(8);
    }
  });

  it('ships only dist and the docs', async () => {
    const installed = join(projectDir, 'node_modules', '@coachwire', 'webhook-client');
    expect(readdirSync(installed).sort()).toEqual([
      'CHANGELOG.md',
      'LICENSE',
      'README.md',
      'dist',
      'package.json',
    ]);
  });

  it('names only files it ships: no export condition points at the sources', () => {
    const installed = join(projectDir, 'node_modules', '@coachwire', 'webhook-client');
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    const targets = [manifest.main, manifest.module, manifest.types];
    const collect = (value: unknown): void => {
      if (typeof value === 'string') targets.push(value);
      else if (value !== null && typeof value === 'object')
        for (const inner of Object.values(value)) collect(inner);
    };
    collect(manifest.exports);
    expect(targets.length).toBeGreaterThan(3);
    for (const target of targets)
      expect(existsSync(join(installed, String(target))), String(target)).toBe(true);
  });

  it('depends on undici alone at run time', () => {
    const installed = join(projectDir, 'node_modules', '@coachwire', 'webhook-client', 'package.json');
    const manifest = JSON.parse(readFileSync(installed, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(manifest.dependencies as object)).toStrictEqual(['undici']);
    expect(manifest).not.toHaveProperty('peerDependencies');
    expect(manifest).not.toHaveProperty('optionalDependencies');
  });

  it('works from import in an ES module', async () => {
    writeFileSync(
      join(projectDir, 'use.mjs'),
      script("import { createClient, ApiError, CoachwireClientError } from '@coachwire/webhook-client';"),
    );
    const { stdout } = await run('node', ['use.mjs', api.baseUrl], { cwd: projectDir });
    expect(servedPlan).toMatchObject({ plan: 'Long above 5000', author: 'alice' });
    expect(JSON.parse(stdout)).toStrictEqual({ plan: servedPlan, isError: true });
  });

  it('works from require in a CommonJS script', async () => {
    writeFileSync(
      join(projectDir, 'use.cjs'),
      script(
        "const { createClient, ApiError, CoachwireClientError } = require('@coachwire/webhook-client');",
      ),
    );
    const { stdout } = await run('node', ['use.cjs', api.baseUrl], { cwd: projectDir });
    expect(JSON.parse(stdout)).toStrictEqual({ plan: servedPlan, isError: true });
  });
});
