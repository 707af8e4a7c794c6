import { createHash } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import { utimes } from 'node:fs/promises';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { DEFAULT_COACHES, PlanService } from '@coachwire/core';
import { afterEach, describe, expect, it } from 'vitest';
import { STORE_BACKENDS, type StoreBackend } from '../test-support/backends.js';
import { tempDir } from '../test-support/temp-database.js';
import { FsChartStore } from './fs-chart-store.js';
import { collectUnreferencedCharts, verifyChartStore } from './gc.js';

const disposals: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const dispose of disposals.splice(0)) await dispose();
});

/** A chart directory, and (when a backend is given) a fresh store with the plan service over it. */
async function setup(backend: StoreBackend = STORE_BACKENDS[0]!) {
  const { dir, remove } = tempDir();
  disposals.push(async () => remove());
  const opened = await backend.open();
  disposals.push(opened.dispose);
  const service = new PlanService({
    repository: opened.store.plans,
    coaches: DEFAULT_COACHES,
    timezone: 'UTC',
  });
  return {
    dir,
    store: new FsChartStore(path.join(dir, 'charts')),
    archive: opened.store.charts,
    plans: opened.store.plans,
    service,
  };
}

const alice = { id: '1', name: 'alice' };
const chart = (name: string) => ({
  url: `https://cdn.discordapp.com/attachments/1/2/${name}`,
  filename: name,
});

describe('FsChartStore', () => {
  it('stores bytes under their SHA-256, reads them back whole or by range, and leaves no temp file', async () => {
    const { store } = await setup();
    const bytes = Buffer.from('0123456789abcdef');
    const first = await store.put(bytes);
    expect(first).toEqual({
      sha256: createHash('sha256').update(bytes).digest('hex'),
      size: 16,
      created: true,
    });
    const old = new Date('2020-01-01T00:00:00Z');
    await utimes(store.pathOf(first.sha256), old, old);
    expect((await store.put(bytes)).created).toBe(false);
    expect((await store.stat(first.sha256))!.modifiedAt.getTime()).toBeGreaterThan(old.getTime());
    expect(await text(store.read(first.sha256))).toBe('0123456789abcdef');
    expect(await text(store.read(first.sha256, { start: 2, end: 5 }))).toBe('2345');
    expect(readdirSync(path.join(store.dir, '.tmp'))).toEqual([]);
    expect((await store.stat(first.sha256))?.size).toBe(16);
    expect(await store.stat('../../etc/passwd')).toBeNull();
    expect(() => store.read('../secret')).toThrow(/Not a chart hash/);
  });
  it('fails at once, naming the directory, when its directory cannot be created (e.g. under /proc)', async () => {
    const store = new FsChartStore('/proc/coachwire-no-such/charts');
    await expect(store.put(new Uint8Array([1, 2, 3]))).rejects.toMatchObject({ code: 'ENOENT' });
  });
  it('lists nothing before its directory exists, and fails when its directory is a file', async () => {
    const { dir, store } = await setup();
    const listed = async (from: FsChartStore) => {
      const found = [];
      for await (const stored of from.list()) found.push(stored.sha256);
      return found;
    };
    expect(await listed(store)).toEqual([]);
    const { sha256 } = await store.put(Buffer.from('chart'));
    expect(await listed(store)).toEqual([sha256]);
    // A file where the directory should be used to list as empty, so gc and verify reported nothing wrong.
    writeFileSync(path.join(dir, 'file'), 'not a directory');
    const misplaced = new FsChartStore(path.join(dir, 'file'));
    await expect(listed(misplaced)).rejects.toMatchObject({ code: 'ENOTDIR' });
    expect(await misplaced.stat(sha256)).toBeNull();
  });
});

describe.each(STORE_BACKENDS)('the chart archive on $name', (backend) => {
  it('queues a plan’s charts, records an archive, and retries failures up to the bound', async () => {
    const { archive, plans, service } = await setup(backend);
    const { plan } = await service.post(alice, {
      coach: 'd',
      text: 'x',
      charts: [chart('a.png'), chart('b.png')],
    });
    expect(await archive.markPlanPending(plan.id)).toBe(2);
    const [a, b] = await archive.listPending(3);
    await archive.recordArchived(a!.id, {
      sha256: 'f'.repeat(64),
      size: 10,
      contentType: 'image/png',
      width: 2,
      height: 3,
      archivedAt: '2026-11-20T00:00:00.000Z',
    });
    await archive.recordFailure(b!.id, 'timeout', { maxAttempts: 2 });
    expect((await archive.listPending(2)).map((record) => record.id)).toEqual([b!.id]);
    await archive.recordFailure(b!.id, 'timeout again', { maxAttempts: 2 });
    expect(await archive.listPending(2)).toEqual([]);
    expect(await archive.get(b!.id)).toMatchObject({
      archiveStatus: 'failed',
      archiveAttempts: 2,
      url: b!.url,
    });
    expect(await archive.getByHash('f'.repeat(64))).toMatchObject({
      id: a!.id,
      contentType: 'image/png',
      planLive: true,
    });
    const stored = await service.get({ planId: plan.id });
    expect(stored.charts[0]).toMatchObject({ sha256: 'f'.repeat(64), archiveStatus: 'archived', width: 2 });
    const events = await plans.eventsAfter(0, 10);
    expect(events.map((event) => event.type)).toEqual(['plan.created', 'plan.updated']);
    expect(events[1]?.payload).toMatchObject({ id: plan.id, coach: 'd', tradingDate: plan.tradingDate });
  });

  it('writes one event for a plan whose charts all move to stable URLs, and none when no URL changes', async () => {
    const { archive, plans, service } = await setup(backend);
    const repository = plans;
    const { plan } = await service.post(alice, {
      coach: 'd',
      text: 'two charts',
      charts: [chart('a.png'), chart('b.png')],
    });
    await archive.markPlanPending(plan.id);
    const afterPost = await repository.latestEventId();
    const facts = (name: string) => ({
      sha256: createHash('sha256').update(name).digest('hex'),
      size: 3,
      contentType: 'image/png',
      width: 10,
      height: 10,
      archivedAt: '2026-11-20T15:00:00.000Z',
    });
    const batch = (await archive.ofPlan(plan.id)).map((record) => ({
      chartId: record.id,
      facts: facts(record.filename),
    }));
    await archive.recordArchivedCharts(batch);
    const events = await repository.eventsAfter(afterPost, 10);
    expect(events.map((event) => [event.type, event.planId])).toEqual([['plan.updated', plan.id]]);
    expect((await archive.ofPlan(plan.id)).map((record) => record.archiveStatus)).toEqual([
      'archived',
      'archived',
    ]);
    // Archived again (a retry that raced the first run): the URLs stay what they were, so nothing is announced.
    await archive.recordArchivedCharts(batch);
    await archive.recordArchived(batch[0]!.chartId, batch[0]!.facts);
    expect(await repository.latestEventId()).toBe(events[0]!.id);
  });

  it('marks a refused file failed at once', async () => {
    const { archive, service } = await setup(backend);
    const { plan } = await service.post(alice, { coach: 'd', text: 'x', charts: [chart('a.png')] });
    await archive.markPlanPending(plan.id);
    const [record] = await archive.ofPlan(plan.id);
    await archive.recordFailure(record!.id, 'not a PNG', { maxAttempts: 5, final: true });
    expect((await archive.get(record!.id))?.archiveStatus).toBe('failed');
  });
});

describe.each(STORE_BACKENDS)('chart gc and verify on $name', (backend) => {
  it('leaves files referenced by live plans and recent files alone, and removes the rest', async () => {
    const { archive, service, store } = await setup(backend);
    const kept = await store.put(Buffer.from('kept'));
    const orphan = await store.put(Buffer.from('orphan'));
    const { plan } = await service.post(alice, { coach: 'd', text: 'x', charts: [chart('a.png')] });
    const [record] = await archive.ofPlan(plan.id);
    await archive.recordArchived(record!.id, {
      sha256: kept.sha256,
      size: 4,
      contentType: 'image/png',
      width: null,
      height: null,
      archivedAt: new Date().toISOString(),
    });
    const referenced = await archive.referencedHashes();
    const early = await collectUnreferencedCharts({ store, referenced, graceMs: 3_600_000, now: new Date() });
    expect(early.removed).toEqual([]);
    expect(early.keptRecent).toBe(1);
    const later = new Date(Date.now() + 2 * 3_600_000);
    const dry = await collectUnreferencedCharts({
      store,
      referenced,
      graceMs: 3_600_000,
      now: later,
      dryRun: true,
    });
    expect(dry.removed).toEqual([orphan.sha256]);
    expect(await store.stat(orphan.sha256)).not.toBeNull();
    const report = await collectUnreferencedCharts({ store, referenced, graceMs: 3_600_000, now: later });
    expect(report).toMatchObject({ removed: [orphan.sha256], keptReferenced: 1 });
    expect(await store.stat(orphan.sha256)).toBeNull();
    expect(await store.stat(kept.sha256)).not.toBeNull();

    await service.delete(alice, { planId: plan.id });
    expect((await archive.referencedHashes()).has(kept.sha256)).toBe(false);
  });

  it('reports a corrupted file and a referenced file that is missing', async () => {
    const { store } = await setup(backend);
    const good = await store.put(Buffer.from('good'));
    const bad = await store.put(Buffer.from('bad'));
    writeFileSync(store.pathOf(bad.sha256), 'tampered');
    const report = await verifyChartStore(store, new Set([good.sha256, 'a'.repeat(64)]));
    expect(report.checked).toBe(2);
    expect(report.corrupt.map((entry) => entry.sha256)).toEqual([bad.sha256]);
    expect(report.missing).toEqual(['a'.repeat(64)]);
  });
});
