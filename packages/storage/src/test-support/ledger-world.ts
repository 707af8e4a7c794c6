import type { MarketServiceOptions } from '@coachwire/core';
import type { LedgerBackend } from './ledger-backends.js';
import { servicesOnTestClock } from './market-world.js';

/**
 * The market and points services over a fresh ledger of one backend, on a clock the test moves, with raw
 * reads for what a suite checks in the tables (events, audit rows, escrows) on SQLite and PostgreSQL alike.
 */
export async function ledgerWorld(backend: LedgerBackend, settings: MarketServiceOptions['settings'] = {}) {
  const opened = await backend.open();
  return {
    ...servicesOnTestClock(opened.ledger, settings),
    backend: backend.name,
    reads: opened.reads,
    rows: opened.rows,
    dispose: opened.dispose,
    count: async (table: string) =>
      Number((await opened.rows<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))[0]?.n ?? 0),
    /** The ledger check; rejects with its violations if any. */
    assertLedger: async () => {
      const report = await opened.checkLedger();
      if (!report.ok) throw new Error(`ledger violations:\n${report.violations.join('\n')}`);
      return report;
    },
  };
}

export type LedgerWorld = Awaited<ReturnType<typeof ledgerWorld>>;
