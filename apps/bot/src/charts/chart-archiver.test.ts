import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { closeLogger, createLogger } from '@coachwire/config';
import { DEFAULT_COACHES, PlanService } from '@coachwire/core';
import { makePng } from '@coachwire/discord-emulator';
import {
  ChartArchiveRepository,
  type CoachwireDatabase,
  FsChartStore,
  migrateDatabase,
  openDatabase,
  SqlitePlanRepository,
} from '@coachwire/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ArchiverLogger, ChartArchiver } from './chart-archiver.js';

const png = makePng(40, 20);
let server: Server;
let base: string;
let host: string;
const failuresLeft = new Map<string, number>();
let handle: CoachwireDatabase;
/** Holds the database and every test's chart store; removed after the last test. */
let dir: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const route = request.url ?? '/';
    const left = failuresLeft.get(route) ?? 0;
    if (left > 0) {
      failuresLeft.set(route, left - 1);
      response.statusCode = 503;
      return response.end();
    }
    if (route.startsWith('/fake')) return response.end('not an image at all');
    return response.end(png);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  base = `http://${host}`;
  dir = mkdtempSync(path.join(tmpdir(), 'coachwire-archiver-'));
  handle = openDatabase({ path: path.join(dir, 'plans.db') });
  await migrateDatabase(handle);
});

afterAll(async () => {
  handle.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

function setup(overrides: { attemptsPerRun?: number; maxAttempts?: number; logger?: ArchiverLogger } = {}) {
  const store = new FsChartStore(mkdtempSync(path.join(dir, 'store-')));
  const archive = new ChartArchiveRepository(handle);
  const service = new PlanService({
    repository: new SqlitePlanRepository(handle),
    coaches: DEFAULT_COACHES,
    timezone: 'UTC',
  });
  const warnings: object[] = [];
  const archiver = new ChartArchiver({
    store,
    archive,
    download: { allowedHosts: [host], maxBytes: 1024 * 1024, timeoutMs: 2000 },
    logger: { info: () => {}, warn: (details) => warnings.push(details) },
    retryDelayMs: 1,
    ...overrides,
  });
  return { store, archive, service, archiver, warnings };
}

let day = 1;
const nextDate = () => `2026-10-${String(day++).padStart(2, '0')}`;
const alice = { id: '1', name: 'alice' };

describe('ChartArchiver', () => {
  it('archives a plan’s charts and records hash, type and size', async () => {
    const { archive, service, archiver, store } = setup();
    const { plan } = await service.post(alice, {
      coach: 'd',
      text: 'x',
      tradingDate: nextDate(),
      charts: [{ url: `${base}/a.png`, filename: 'a.png' }],
    });
    expect(await archiver.archivePlan(plan)).toEqual({ archived: 1, refused: [], deferred: 0 });
    const [record] = await archive.ofPlan(plan.id);
    expect(record).toMatchObject({ archiveStatus: 'archived', contentType: 'image/png', size: png.length });
    expect((await store.stat(record!.sha256!))?.size).toBe(png.length);
  });

  it('logs each archived chart with its readable content hash, which names its file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'coachwire-archiver-log-'));
    const file = path.join(dir, 'bot.log');
    const logger = createLogger({
      config: { level: 'info', file, max_size_mb: 1, backup_count: 1 },
      name: 'bot',
      stdout: false,
    });
    try {
      const { archive, service, archiver } = setup({ logger });
      const { plan } = await service.post(alice, {
        coach: 'd',
        text: 'x',
        tradingDate: nextDate(),
        charts: [{ url: `${base}/a.png`, filename: 'a.png' }],
      });
      await archiver.archivePlan(plan);
      const [record] = await archive.ofPlan(plan.id);
      await closeLogger(logger);
      // pino-roll numbers the file it writes (bot.1.log).
      const lines = readdirSync(dir)
        .map((name) => readFileSync(path.join(dir, name), 'utf8'))
        .join('')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(lines.find((line) => line.msg === 'chart archived')).toMatchObject({
        chartId: record!.id,
        contentSha256: record!.sha256,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('retries a failed download and succeeds when the host recovers', async () => {
    const { archive, service, archiver } = setup({ attemptsPerRun: 3 });
    failuresLeft.set('/flaky.png', 2);
    const { plan } = await service.post(alice, {
      coach: 'd',
      text: 'x',
      tradingDate: nextDate(),
      charts: [{ url: `${base}/flaky.png`, filename: 'flaky.png' }],
    });
    expect((await archiver.archivePlan(plan)).archived).toBe(1);
    expect((await archive.ofPlan(plan.id))[0]).toMatchObject({
      archiveStatus: 'archived',
      archiveAttempts: 1,
    });
  });

  it('keeps the original URL and retries later when the host is down, up to the bound', async () => {
    const { archive, service, archiver } = setup({ attemptsPerRun: 1, maxAttempts: 2 });
    failuresLeft.set('/down.png', 2);
    const { plan } = await service.post(alice, {
      coach: 'd',
      text: 'x',
      tradingDate: nextDate(),
      charts: [{ url: `${base}/down.png`, filename: 'down.png' }],
    });
    expect(await archiver.archivePlan(plan)).toEqual({ archived: 0, refused: [], deferred: 1 });
    expect((await archive.ofPlan(plan.id))[0]).toMatchObject({
      archiveStatus: 'pending',
      url: `${base}/down.png`,
    });
    expect((await archiver.retryPending()).deferred).toBe(1);
    expect((await archive.ofPlan(plan.id))[0]?.archiveStatus).toBe('failed');
    expect(await archiver.retryPending()).toEqual({ archived: 0, refused: [], deferred: 0 });
    expect((await service.get({ planId: plan.id })).text).toBe('x');
  });

  it('refuses a fake image at once with a reason for the reply, and logs it', async () => {
    const { archive, service, archiver, warnings } = setup();
    const { plan } = await service.post(alice, {
      coach: 'd',
      text: 'x',
      tradingDate: nextDate(),
      charts: [{ url: `${base}/fake.png`, filename: 'fake.png' }],
    });
    const outcome = await archiver.archivePlan(plan);
    expect(outcome.refused).toEqual([
      { chartId: plan.charts[0]!.id, filename: 'fake.png', reason: expect.stringContaining('not a png') },
    ]);
    expect((await archive.ofPlan(plan.id))[0]).toMatchObject({ archiveStatus: 'failed', archiveAttempts: 1 });
    expect(warnings).toEqual([expect.objectContaining({ problem: 'not-an-image' })]);
  });
});
