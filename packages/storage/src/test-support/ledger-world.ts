import { EVERY_DAY_TRADES, MarketService, type MarketServiceOptions, PointsService } from '@coachwire/core';
import type { LedgerBackend } from './ledger-backends.js';
import { GUILD } from './market-world.js';

/**
 * The market and points services over a fresh ledger of one backend, on a clock the test moves: the async
 * twin of market-world.ts, for suites that run on SQLite and PostgreSQL alike.
 */
export async function ledgerWorld(backend: LedgerBackend, settings: MarketServiceOptions['settings'] = {}) {
  const opened = await backend.open();
  let now = new Date('2026-11-20T15:00:00.000Z');
  let keys = 0;
  const options: MarketServiceOptions = {
    timezone: 'America/New_York',
    clock: { now: () => now.getTime() },
    settings,
    // The tests move the clock by hours across weekends; the exchange calendar is tested in core.
    tradingDays: EVERY_DAY_TRADES,
  };
  const markets = new MarketService(opened.ledger, options);
  const points = new PointsService(opened.ledger, options);
  return {
    backend: backend.name,
    ledger: opened.ledger,
    reads: opened.reads,
    markets,
    points,
    rows: opened.rows,
    dispose: opened.dispose,
    /** A fresh idempotency context. */
    ctx: (key = `key-${++keys}`) => ({ guildId: GUILD, idempotencyKey: key }),
    advanceHours: (hours: number) => {
      now = new Date(now.getTime() + hours * 3_600_000);
    },
    now: () => now,
    inHours: (hours: number) => new Date(now.getTime() + hours * 3_600_000).toISOString(),
    balance: async (actor: { id: string }) => (await points.balance(GUILD, actor.id)).balance,
    count: async (table: string) =>
      Number((await opened.rows<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))[0]?.n ?? 0),
    /** The ledger check; throws with its violations if any. */
    assertLedger: async () => {
      const report = await opened.checkLedger();
      if (!report.ok) throw new Error(`ledger violations:\n${report.violations.join('\n')}`);
      return report;
    },
  };
}

export type LedgerWorld = Awaited<ReturnType<typeof ledgerWorld>>;
