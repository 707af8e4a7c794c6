import type { LedgerStore, MarketReadStore } from '@coachwire/core';
import { SqliteMarketReadStore } from '../markets/market-read-store.js';
import { PgMarketReadStore } from '../markets/pg-market-read-store.js';
import { checkLedger } from '../points/ledger-check.js';
import type { LedgerReport } from '../points/ledger-report.js';
import { checkLedgerPg } from '../points/pg-ledger-check.js';
import { PgLedgerStore } from '../points/pg-ledger-store.js';
import { SqliteLedgerStore } from '../points/sqlite-ledger-store.js';
import { openPostgres, type PgHandle } from '../postgres/pg-database.js';
import { migratePostgres } from '../postgres/pg-migrate.js';
import { createTestPgDatabase } from './pg-test-database.js';
import { migratedTempDatabase } from './temp-database.js';

/** A fresh, migrated ledger of one backend, with raw reads for the tests' own checks. */
export interface OpenedLedger {
  readonly ledger: LedgerStore;
  readonly reads: MarketReadStore;
  /** Rows of a query written with `?` placeholders (numbered for PostgreSQL). */
  rows<T>(sql: string, ...params: unknown[]): Promise<T[]>;
  checkLedger(): Promise<LedgerReport>;
  dispose(): Promise<void>;
}

export interface LedgerBackend {
  readonly name: 'sqlite' | 'postgres';
  open(): Promise<OpenedLedger>;
}

export const sqliteLedger: LedgerBackend = {
  name: 'sqlite',
  async open() {
    const database = await migratedTempDatabase();
    const { handle } = database;
    return {
      ledger: new SqliteLedgerStore(handle),
      reads: new SqliteMarketReadStore(handle),
      rows: async <T>(sql: string, ...params: unknown[]) => handle.sqlite.prepare(sql).all(...params) as T[],
      checkLedger: async () => checkLedger(handle),
      dispose: async () => database.dispose(),
    };
  },
};

/** A PostgreSQL handle on a fresh migrated database of the test cluster; `drop()` closes and drops it. */
export async function migratedTestPg(
  poolSize = 4,
): Promise<{ handle: PgHandle; url: string; drop(): Promise<void> }> {
  const database = await createTestPgDatabase();
  const handle = await openPostgres({ url: database.url, poolSize });
  await migratePostgres(handle);
  return {
    handle,
    url: database.url,
    drop: async () => {
      await handle.close();
      await database.drop();
    },
  };
}

const numbered = (sql: string) => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

export const postgresLedger: LedgerBackend = {
  name: 'postgres',
  async open() {
    const { handle, drop } = await migratedTestPg();
    return {
      ledger: new PgLedgerStore(handle),
      reads: new PgMarketReadStore(handle),
      rows: async <T>(sql: string, ...params: unknown[]) =>
        (await handle.pool.query(numbered(sql), params)).rows as T[],
      checkLedger: () => checkLedgerPg(handle),
      dispose: drop,
    };
  },
};

/** Both backends, for `describe.each(LEDGER_BACKENDS)('… on $name', …)`. */
export const LEDGER_BACKENDS: readonly LedgerBackend[] = [sqliteLedger, postgresLedger];
