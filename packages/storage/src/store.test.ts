import type { BotConnectionState, BotInstance, BotStatus } from '@coachwire/core';
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

  it('keeps the holder a status names, and reads a row written without one as holding nothing', async () => {
    const { botStatus } = opened.store;
    await botStatus.write(heartbeat('2026-03-02T13:00:00.000Z'));
    expect((await botStatus.read())?.holder).toBeUndefined();
    await botStatus.write(heartbeat('2026-03-02T13:00:15.000Z', instance('a')));
    expect((await botStatus.read())?.holder).toEqual(instance('a'));
  });

  it('lets exactly one of two bots claiming an empty table at the same instant win', async () => {
    const other = await opened.openAnother();
    const outcomes = await Promise.all([
      opened.store.botStatus.claim(heartbeat('2026-03-02T13:00:00.000Z', instance('a')), null),
      other.botStatus.claim(heartbeat('2026-03-02T13:00:00.000Z', instance('b')), null),
    ]);
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    const winner = outcomes[0] ? 'a' : 'b';
    expect((await other.botStatus.read())?.holder).toEqual(instance(winner));
  });

  it('lets exactly one of two bots taking over the same stale claim at the same instant win', async () => {
    const { botStatus } = opened.store;
    await botStatus.write(heartbeat('2026-03-02T12:00:00.000Z', instance('gone')));
    const other = await opened.openAnother();
    // Both judged the row they read gone, and claim it together.
    const seen = await botStatus.read();
    const outcomes = await Promise.all([
      botStatus.claim(heartbeat('2026-03-02T13:00:00.000Z', instance('a')), seen),
      other.botStatus.claim(heartbeat('2026-03-02T13:00:00.000Z', instance('b')), seen),
    ]);
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    expect((await botStatus.read())?.holder).toEqual(instance(outcomes[0] ? 'a' : 'b'));
  });

  it('refuses a claim when the holder wrote a heartbeat after the row was read', async () => {
    const { botStatus } = opened.store;
    await botStatus.write(heartbeat('2026-03-02T12:00:00.000Z', instance('holder')));
    const seen = await botStatus.read();
    await botStatus.writeAsHolder(heartbeat('2026-03-02T12:00:15.000Z', instance('holder')));
    expect(await botStatus.claim(heartbeat('2026-03-02T12:00:16.000Z', instance('late')), seen)).toBe(false);
    expect(await botStatus.read()).toMatchObject({
      heartbeatAt: '2026-03-02T12:00:15.000Z',
      holder: instance('holder'),
    });
  });

  it('writes a heartbeat as the holder only while that bot still holds the role', async () => {
    const { botStatus } = opened.store;
    expect(await botStatus.claim(heartbeat('2026-03-02T13:00:00.000Z', instance('a')), null)).toBe(true);
    expect(await botStatus.writeAsHolder(heartbeat('2026-03-02T13:00:15.000Z', instance('a')))).toBe(true);
    const seen = await botStatus.read();
    expect(await botStatus.claim(heartbeat('2026-03-02T13:01:30.000Z', instance('b')), seen)).toBe(true);
    expect(
      await botStatus.writeAsHolder(heartbeat('2026-03-02T13:01:31.000Z', instance('a'), 'stopped')),
    ).toBe(false);
    expect(await botStatus.read()).toMatchObject({
      heartbeatAt: '2026-03-02T13:01:30.000Z',
      state: 'connecting',
      holder: instance('b'),
    });
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

function instance(name: string): BotInstance {
  return { instanceId: `instance-${name}`, host: `host-${name}`, pid: 4000 + name.length };
}

/** A heartbeat of a bot still connecting, written by `holder` when given. */
function heartbeat(
  heartbeatAt: string,
  holder?: BotInstance,
  state: BotConnectionState = 'connecting',
): BotStatus & { holder: BotInstance } {
  const status = {
    connected: false,
    latencyMs: null,
    guilds: 0,
    heartbeatAt,
    mock: false,
    state,
    lastError: null,
  };
  return (holder ? { ...status, holder } : status) as BotStatus & { holder: BotInstance };
}
