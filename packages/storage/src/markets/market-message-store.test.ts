import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MarketService } from '@coachwire/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CoachwireDatabase, openDatabase } from '../database.js';
import { migrateDatabase } from '../migrate.js';
import { SqliteLedgerStore } from '../points/sqlite-ledger-store.js';
import { MarketMessageStore } from './market-message-store.js';

let dir: string;
let database: CoachwireDatabase;
let markets: MarketService;
let store: MarketMessageStore;
let now = Date.parse('2026-11-24T15:00:00Z');
const admin = { id: 'admin', name: 'Admin', hasAdminPermission: true };

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'coachwire-market-messages-'));
  database = openDatabase({ path: path.join(dir, 'test.db') });
  await migrateDatabase(database);
  markets = new MarketService(new SqliteLedgerStore(database), {
    timezone: 'America/New_York',
    clock: { now: () => now },
  });
  store = new MarketMessageStore(database);
});

afterEach(() => {
  database.sqlite.close();
  rmSync(dir, { recursive: true, force: true });
});

async function market(key: string, closesInMinutes: number) {
  return markets.create(
    admin,
    { guildId: 'g', idempotencyKey: key },
    {
      question: `Question ${key}?`,
      mechanism: 'cpmm',
      closesAt: new Date(now + closesInMinutes * 60_000).toISOString(),
    },
  );
}

describe('market message links and announcements', () => {
  it('lists a market as due once it closes, and lets only the first claim announce it', async () => {
    const { id } = await market('a', 10);
    store.link({ marketId: id, guildId: 'g', channelId: 'c', messageId: 'm1' });
    expect(store.linkOf(id)).toEqual({ marketId: id, guildId: 'g', channelId: 'c', messageId: 'm1' });
    expect(store.due(new Date(now).toISOString())).toEqual([]);
    now += 11 * 60_000;
    expect(store.due(new Date(now).toISOString())).toMatchObject([
      { marketId: id, closeDue: true, settlementDue: null },
    ]);
    expect(store.claimClose(id)).toBe(true);
    expect(store.claimClose(id)).toBe(false);
    expect(store.due(new Date(now).toISOString())).toEqual([]);
  });

  it('lists each settlement once, with what it paid, and a later settlement again', async () => {
    const { id } = await market('b', 60);
    store.link({ marketId: id, guildId: 'g', channelId: 'c', messageId: 'm2' });
    await markets.buy(
      { id: 'u1', name: 'U1' },
      { guildId: 'g', idempotencyKey: 'buy1' },
      { marketId: id, option: 0, points: 100 },
    );
    await markets.resolve(admin, { guildId: 'g', idempotencyKey: 'r1' }, id, { kind: 'option', option: 0 });
    const [due] = store.due(new Date(now).toISOString());
    expect(due).toMatchObject({ marketId: id, settlementDue: 1 });
    expect(store.claimSettlement(id, 1)).toBe(true);
    expect(store.claimSettlement(id, 1)).toBe(false);
    const payouts = store.payouts(id);
    expect(payouts.recipients).toBe(1);
    expect(payouts.top[0]?.userId).toBe('u1');
    expect(payouts.total).toBeGreaterThan(100);
    await markets.unresolve(admin, { guildId: 'g', idempotencyKey: 'u' }, id, 'wrong');
    expect(store.due(new Date(now).toISOString())).toEqual([]);
    await markets.cancel(admin, { guildId: 'g', idempotencyKey: 'c1' }, id);
    expect(store.due(new Date(now).toISOString())).toMatchObject([{ marketId: id, settlementDue: 2 }]);
    expect(store.payouts(id)).toMatchObject({ total: 100, recipients: 1 });
  });
});
