import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BotStatus } from '@coachwire/core';
import { type CoachwireStore, openSqliteStore } from '@coachwire/storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BotAlreadyRunningError, claimBotRole } from './bot-role.js';

let dir: string;
let stores: CoachwireStore[];
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'coachwire-bot-role-'));
  stores = [];
});
afterEach(async () => {
  for (const store of stores) await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A store on the test's database file, as each bot process opens its own. */
async function openStore(): Promise<CoachwireStore> {
  const store = await openSqliteStore({ path: path.join(dir, 'plans.db') });
  stores.push(store);
  return store;
}

const T0 = Date.parse('2026-03-02T13:00:00.000Z');
const elsewhere = { instanceId: 'a1b2c3d4-elsewhere', host: 'web-2', pid: 4242 };

function heartbeatAt(at: number): BotStatus {
  const heartbeatAt = new Date(at).toISOString();
  return {
    connected: true,
    latencyMs: 20,
    guilds: 1,
    heartbeatAt,
    mock: false,
    state: 'connected',
    lastError: null,
  };
}

describe('claiming the running-bot role', () => {
  it('lets exactly one of two bots starting at the same instant have it, and refuses the other naming the winner', async () => {
    const [first, second] = [await openStore(), await openStore()];
    const claims = [
      claimBotRole(first.botStatus, { mock: false, now: () => T0, host: 'web-1', pid: 1001 }),
      claimBotRole(second.botStatus, { mock: false, now: () => T0, host: 'web-1', pid: 1002 }),
    ];
    const outcomes = await Promise.allSettled(claims);
    const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const lost = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const winner = (won[0] as PromiseFulfilledResult<Awaited<(typeof claims)[0]>>).value;
    const refusal = (lost[0] as PromiseRejectedResult).reason;
    expect(refusal).toBeInstanceOf(BotAlreadyRunningError);
    expect((refusal as BotAlreadyRunningError).holder).toEqual(winner.instance);
    expect((await first.botStatus.read())?.holder).toEqual(winner.instance);
    winner.release();
  });

  it('refuses while another host’s claim is fresh, saying how old it is and when it lapses', async () => {
    const store = await openStore();
    await store.botStatus.write({ ...heartbeatAt(T0), holder: elsewhere });
    const claiming = claimBotRole(store.botStatus, { mock: false, now: () => T0 + 45_000, host: 'web-1' });
    await expect(claiming).rejects.toThrow(
      'Another Coachwire bot is already running on this database: pid 4242 on host web-2 (instance a1b2c3d4), last heartbeat 45 s ago.',
    );
    await expect(claiming).rejects.toMatchObject({
      fix: expect.stringContaining(
        '`kill 4242` on host web-2), then start this one. If it is certainly gone',
      ),
    });
    await expect(claiming).rejects.toMatchObject({
      fix: expect.stringContaining('its claim lapses 15 s from now, 60 s after its last heartbeat'),
    });
  });

  it('takes another host’s claim over once its heartbeat is older than 60 s, and then holds it', async () => {
    const store = await openStore();
    await store.botStatus.write({ ...heartbeatAt(T0), holder: elsewhere });
    const role = await claimBotRole(store.botStatus, {
      mock: false,
      now: () => T0 + 60_001,
      host: 'web-1',
      pid: 7,
    });
    expect((await store.botStatus.read())?.holder).toEqual(role.instance);
    expect(role.instance).toMatchObject({ host: 'web-1', pid: 7 });
    // The bot it took over from can no longer write.
    const old = await store.botStatus.writeAsHolder({ ...heartbeatAt(T0 + 61_000), holder: elsewhere });
    expect(old).toBe(false);
    expect(await role.write(heartbeatAt(T0 + 62_000))).toBe(true);
    role.release();
  });

  it('takes over at once from a bot of this host whose pid is gone', async () => {
    const store = await openStore();
    const dead = { instanceId: 'dead-bot', host: 'web-1', pid: 999_999 };
    await store.botStatus.write({ ...heartbeatAt(T0), holder: dead });
    const alive = claimBotRole(store.botStatus, {
      mock: false,
      now: () => T0 + 1_000,
      host: 'web-1',
      pid: 7,
      isPidAlive: () => true,
    });
    await expect(alive).rejects.toBeInstanceOf(BotAlreadyRunningError);
    const role = await claimBotRole(store.botStatus, {
      mock: false,
      now: () => T0 + 1_000,
      host: 'web-1',
      pid: 7,
      isPidAlive: (pid) => pid !== 999_999,
    });
    expect((await store.botStatus.read())?.holder).toEqual(role.instance);
    role.release();
  });
});
