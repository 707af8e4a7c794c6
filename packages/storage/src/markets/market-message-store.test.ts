import { MarketService } from '@coachwire/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MarketMessagePort } from '../ports.js';
import { type OpenedTestStore, STORE_BACKENDS } from '../test-support/backends.js';

const admin = { id: 'admin', name: 'Admin', hasAdminPermission: true };

describe.each(STORE_BACKENDS)('market message links and announcements on $name', (backend) => {
  let opened: OpenedTestStore;
  let markets: MarketService;
  let store: MarketMessagePort;
  let now = Date.parse('2026-11-24T15:00:00Z');

  beforeEach(async () => {
    now = Date.parse('2026-11-24T15:00:00Z');
    opened = await backend.open();
    markets = new MarketService(opened.store.ledger, {
      timezone: 'America/New_York',
      clock: { now: () => now },
    });
    store = opened.store.marketMessages;
  });

  afterEach(() => opened.dispose());

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

  it('lists a market as due once it closes, and lets only the first claim announce it', async () => {
    const { id } = await market('a', 10);
    await store.link({ marketId: id, guildId: 'g', channelId: 'c', messageId: 'm1' });
    expect(await store.linkOf(id)).toEqual({ marketId: id, guildId: 'g', channelId: 'c', messageId: 'm1' });
    expect(await store.due(new Date(now).toISOString())).toEqual([]);
    now += 11 * 60_000;
    expect(await store.due(new Date(now).toISOString())).toMatchObject([
      { marketId: id, closeDue: true, settlementDue: null },
    ]);
    expect(await store.claimClose(id)).toBe(true);
    expect(await store.claimClose(id)).toBe(false);
    expect(await store.due(new Date(now).toISOString())).toEqual([]);
  });

  it('lists each settlement once, with what it paid, and a later settlement again', async () => {
    const { id } = await market('b', 60);
    await store.link({ marketId: id, guildId: 'g', channelId: 'c', messageId: 'm2' });
    await markets.buy(
      { id: 'u1', name: 'U1' },
      { guildId: 'g', idempotencyKey: 'buy1' },
      { marketId: id, option: 0, points: 100 },
    );
    await markets.resolve(admin, { guildId: 'g', idempotencyKey: 'r1' }, id, { kind: 'option', option: 0 });
    const [due] = await store.due(new Date(now).toISOString());
    expect(due).toMatchObject({ marketId: id, settlementDue: 1 });
    expect(await store.claimSettlement(id, 1)).toBe(true);
    expect(await store.claimSettlement(id, 1)).toBe(false);
    const payouts = await store.payouts(id);
    expect(payouts.recipients).toBe(1);
    expect(payouts.top[0]?.userId).toBe('u1');
    expect(payouts.total).toBeGreaterThan(100);
    await markets.unresolve(admin, { guildId: 'g', idempotencyKey: 'u' }, id, 'wrong');
    expect(await store.due(new Date(now).toISOString())).toEqual([]);
    await markets.cancel(admin, { guildId: 'g', idempotencyKey: 'c1' }, id);
    expect(await store.due(new Date(now).toISOString())).toMatchObject([{ marketId: id, settlementDue: 2 }]);
    expect(await store.payouts(id)).toMatchObject({ total: 100, recipients: 1 });
  });

  it('lists a settlement again once its claim is given back (not posted), and keeps a later claim', async () => {
    const { id } = await market('d', 60);
    await store.link({ marketId: id, guildId: 'g', channelId: 'c', messageId: 'm3' });
    await markets.resolve(admin, { guildId: 'g', idempotencyKey: 'r' }, id, { kind: 'option', option: 0 });
    const [due] = await store.due(new Date(now).toISOString());
    expect(due).toMatchObject({ marketId: id, settlementDue: 1, announcedSettlements: 0 });
    expect(await store.claimSettlement(id, 1)).toBe(true);
    await store.releaseSettlement(id, 1, 0);
    expect(await store.due(new Date(now).toISOString())).toMatchObject([
      { marketId: id, settlementDue: 1, announcedSettlements: 0 },
    ]);
    expect(await store.claimSettlement(id, 1)).toBe(true);
    // A later settlement claimed meanwhile is not undone by an older release.
    await markets.unresolve(admin, { guildId: 'g', idempotencyKey: 'u' }, id, 'wrong');
    await markets.cancel(admin, { guildId: 'g', idempotencyKey: 'c' }, id);
    expect(await store.claimSettlement(id, 2)).toBe(true);
    await store.releaseSettlement(id, 1, 0);
    expect(await store.due(new Date(now).toISOString())).toEqual([]);
  });
});
