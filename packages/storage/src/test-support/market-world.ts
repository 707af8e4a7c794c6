import {
  type Actor,
  EVERY_DAY_TRADES,
  type LedgerStore,
  MarketService,
  type MarketServiceOptions,
  PointsService,
} from '@coachwire/core';
import type { CoachwireDatabase } from '../database.js';
import { checkLedger } from '../points/ledger-check.js';
import { SqliteLedgerStore } from '../points/sqlite-ledger-store.js';
import type { StoreBackend } from './backends.js';
import { migratedTempDatabase } from './temp-database.js';

export const GUILD = 'guild-1';
export const admin: Actor = { id: '900', name: 'admin', hasAdminPermission: true };
export const alice: Actor = { id: '101', name: 'alice' };
export const bob: Actor = { id: '102', name: 'bob' };
export const carol: Actor = { id: '103', name: 'carol' };

type MarketSettings = MarketServiceOptions['settings'];

/** The market and points services over `ledger`, on a clock the test moves, with the helpers tests share. */
export function servicesOnTestClock(ledger: LedgerStore, settings: MarketSettings = {}) {
  let now = new Date('2026-11-20T15:00:00.000Z');
  let keys = 0;
  const options: MarketServiceOptions = {
    timezone: 'America/New_York',
    clock: { now: () => now.getTime() },
    settings,
    // The tests move the clock by hours across weekends; the exchange calendar is tested in core.
    tradingDays: EVERY_DAY_TRADES,
  };
  const points = new PointsService(ledger, options);
  return {
    ledger,
    markets: new MarketService(ledger, options),
    points,
    /** A fresh idempotency context. */
    ctx: (key = `key-${++keys}`) => ({ guildId: GUILD, idempotencyKey: key }),
    advanceHours: (hours: number) => {
      now = new Date(now.getTime() + hours * 3_600_000);
    },
    now: () => now,
    inHours: (hours: number) => new Date(now.getTime() + hours * 3_600_000).toISOString(),
    balance: async (actor: Actor) => (await points.balance(GUILD, actor.id)).balance,
  };
}

/** A migrated temp SQLite database with the market services on a clock the test moves. */
export async function marketWorld(settings: MarketSettings = {}) {
  const database = await migratedTempDatabase();
  return {
    ...servicesOnTestClock(new SqliteLedgerStore(database.handle), settings),
    handle: database.handle as CoachwireDatabase,
    dispose: database.dispose,
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

/** A fresh store of `backend` with the market services on a clock the test moves. */
export async function marketWorldOn(backend: StoreBackend, settings: MarketSettings = {}) {
  const opened = await backend.open();
  return {
    ...servicesOnTestClock(opened.store.ledger, settings),
    store: opened.store,
    reads: opened.store.marketReads,
    /** A second store on the same database, as another process would open it. */
    openAnother: opened.openAnother,
    dispose: opened.dispose,
    /** The ledger check; rejects with its violations if any. */
    assertLedger: async () => {
      const report = await opened.store.checkLedger();
      if (!report.ok) throw new Error(`ledger violations:\n${report.violations.join('\n')}`);
      return report;
    },
  };
}

export type StoreMarketWorld = Awaited<ReturnType<typeof marketWorldOn>>;

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
