import { type Actor, EVERY_DAY_TRADES } from '@coachwire/core';
import type { CoachwireDatabase } from '../database.js';
import { createMarketServices, type MarketServices } from '../markets/market-services.js';
import { checkLedger } from '../points/ledger-check.js';
import { migratedTempDatabase } from './temp-database.js';

export const GUILD = 'guild-1';
export const admin: Actor = { id: '900', name: 'admin', hasAdminPermission: true };
export const alice: Actor = { id: '101', name: 'alice' };
export const bob: Actor = { id: '102', name: 'bob' };
export const carol: Actor = { id: '103', name: 'carol' };

/** A migrated temp database with the market services on a clock the test moves. */
export async function marketWorld(settings: Parameters<typeof createMarketServices>[1]['settings'] = {}) {
  const database = await migratedTempDatabase();
  let now = new Date('2026-11-20T15:00:00.000Z');
  let keys = 0;
  const services: MarketServices = createMarketServices(database.handle, {
    timezone: 'America/New_York',
    clock: { now: () => now.getTime() },
    settings,
    // The tests move the clock by hours across weekends; the exchange calendar is tested in core.
    tradingDays: EVERY_DAY_TRADES,
  });
  return {
    ...services,
    handle: database.handle as CoachwireDatabase,
    dispose: database.dispose,
    /** A fresh idempotency context. */
    ctx: (key = `key-${++keys}`) => ({ guildId: GUILD, idempotencyKey: key }),
    advanceHours: (hours: number) => {
      now = new Date(now.getTime() + hours * 3_600_000);
    },
    now: () => now,
    inHours: (hours: number) => new Date(now.getTime() + hours * 3_600_000).toISOString(),
    balance: async (actor: Actor) => (await services.points.balance(GUILD, actor.id)).balance,
    count: (table: string) =>
      (database.handle.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n,
    /** The ledger check; throws with its violations if any. */
    assertLedger: () => {
      const report = checkLedger(database.handle);
      if (!report.ok) throw new Error(`ledger violations:\n${report.violations.join('\n')}`);
      return report;
    },
  };
}

export type MarketWorld = Awaited<ReturnType<typeof marketWorld>>;

/** The code of a rejected CoachwireError ('resolved' when it did not reject). */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error && typeof error === 'object' && 'code' in error) return String(error.code);
    throw error;
  }
  return 'resolved';
}
