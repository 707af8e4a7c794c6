import type { BotStatus } from '@coachwire/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type OpenedTestStore, STORE_BACKENDS } from './test-support/backends.js';
import { chartInput, planDraft } from './test-support/temp-database.js';

describe.each(STORE_BACKENDS)('the store on $name', (backend) => {
  let opened: OpenedTestStore;
  beforeEach(async () => {
    opened = await backend.open();
  });
  afterEach(() => opened.dispose());

  it('answers a ping while open and rejects with STORAGE_UNAVAILABLE once closed', async () => {
    await expect(opened.store.ping()).resolves.toBeUndefined();
    await opened.store.close();
    await expect(opened.store.ping()).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
  });

  it('counts live plans, or all plans when asked', async () => {
    const { plans } = opened.store;
    const plan = await plans.insert(planDraft({ charts: [chartInput('a.png')] }));
    await plans.insert(planDraft({ coach: 'm' }));
    await plans.softDelete(plan.id, { id: '1', name: 'x' }, '2026-03-02T14:00:00.000Z');
    expect(await opened.store.countPlans()).toBe(1);
    expect(await opened.store.countPlans({ includeDeleted: true })).toBe(2);
    expect(await opened.store.integrityCheck()).toEqual({
      ok: true,
      messages: [],
      counts: { plans: 2, charts: 1, revisions: 0, events: 3 },
    });
  });
});

describe.each(STORE_BACKENDS)('the ledger check on $name', (backend) => {
  let opened: OpenedTestStore;
  beforeEach(async () => {
    opened = await backend.open();
  });
  afterEach(() => opened.dispose());

  it('finds nothing wrong with the ledger of a fresh database', async () => {
    const report = await opened.store.checkLedger();
    expect(report.ok).toBe(true);
    expect(report.violations).toEqual([]);
    expect(report.checked.length).toBeGreaterThan(0);
  });
});

describe.each(STORE_BACKENDS)('the bot status on $name', (backend) => {
  let opened: OpenedTestStore;
  beforeEach(async () => {
    opened = await backend.open();
  });
  afterEach(() => opened.dispose());

  it('reads null before the bot ever wrote, then the latest status written, from any process', async () => {
    const { botStatus } = opened.store;
    expect(await botStatus.read()).toBeNull();
    const first: BotStatus = {
      connected: true,
      latencyMs: 42,
      guilds: 3,
      heartbeatAt: '2026-03-02T13:00:00.000Z',
      mock: false,
      state: 'connected',
      lastError: null,
    };
    await botStatus.write(first);
    expect(await botStatus.read()).toEqual(first);
    const second: BotStatus = {
      connected: false,
      latencyMs: null,
      guilds: 0,
      heartbeatAt: '2026-03-02T13:00:30.000Z',
      mock: true,
      state: 'retrying',
      lastError: 'getaddrinfo ENOTFOUND discord.com',
    };
    await botStatus.write(second);
    expect(await (await opened.openAnother()).botStatus.read()).toEqual(second);
  });

  it('rejects with STORAGE_UNAVAILABLE instead of a driver error when the database is closed', async () => {
    const { botStatus } = opened.store;
    await opened.store.close();
    await expect(botStatus.read()).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    await expect(
      botStatus.write({
        connected: true,
        latencyMs: 1,
        guilds: 1,
        heartbeatAt: '2026-03-02T13:00:00.000Z',
        mock: false,
      }),
    ).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
  });
});
