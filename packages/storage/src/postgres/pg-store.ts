import { PgChartArchive } from '../charts/pg-chart-archive.js';
import type { StorageLogger } from '../database.js';
import { PgEventLog } from '../events/pg-event-log.js';
import { PgMarketMessages } from '../markets/pg-market-messages.js';
import { PgMarketReadStore } from '../markets/pg-market-read-store.js';
import { PgMemberNames } from '../members/pg-member-names.js';
import { PgBotStatus } from '../pg-bot-status.js';
import { countPlansPg, integrityCheckPg, pingPostgres } from '../pg-maintenance.js';
import { PgPlanRepository } from '../plans/pg-plan-repository.js';
import { checkLedgerPg } from '../points/pg-ledger-check.js';
import { PgLedgerStore } from '../points/pg-ledger-store.js';
import { type CoachwireStore, openingStage } from '../store.js';
import { openPostgres, type PgHandle } from './pg-database.js';
import { migratePostgres } from './pg-migrate.js';

export interface OpenPostgresStoreOptions {
  /** `postgres://user:password@host:5432/database` (the password never reaches logs or errors). */
  readonly url: string;
  /** Connections in this process's pool. */
  readonly poolSize: number;
  readonly logger?: StorageLogger | undefined;
  readonly connectTimeoutMs?: number | undefined;
}

/** A store over one PostgreSQL database; `handle` is the pool for what only PostgreSQL has (db copy). */
export interface PostgresStore extends CoachwireStore {
  readonly kind: 'postgres';
  readonly handle: PgHandle;
}

/**
 * Opens the pool (checking one connection), migrates under the advisory lock, and pings, then builds every
 * port over it. A failure is a StoreOpenError (STORAGE_UNAVAILABLE naming host:port/database, never the
 * password) of the stage that failed; nothing is left open.
 */
export async function openPostgresStore(options: OpenPostgresStoreOptions): Promise<PostgresStore> {
  const handle = await openingStage('open', () => openPostgres(options));
  try {
    await openingStage('migrate', () => migratePostgres(handle));
    await openingStage('ping', () => pingPostgres(handle));
  } catch (error) {
    await handle.close();
    throw error;
  }
  // As openDatabase says for SQLite: the log names the database in use (without the password).
  options.logger?.info({ database: handle.location, poolSize: options.poolSize }, 'database opened');
  return postgresStoreOver(handle);
}

/** The ports over a PostgreSQL database that is already open and migrated; `close()` closes the pool. */
export function postgresStoreOver(handle: PgHandle): PostgresStore {
  const eventLog = new PgEventLog(handle);
  let closed: Promise<void> | undefined;
  return {
    kind: 'postgres',
    location: handle.location,
    handle,
    plans: new PgPlanRepository(handle),
    eventLog,
    charts: new PgChartArchive(handle),
    botStatus: new PgBotStatus(handle),
    marketMessages: new PgMarketMessages(handle),
    memberNames: new PgMemberNames(handle),
    ledger: new PgLedgerStore(handle),
    marketReads: new PgMarketReadStore(handle),
    checkLedger: () => checkLedgerPg(handle),
    ping: () => pingPostgres(handle),
    countPlans: (options) => countPlansPg(handle, options),
    integrityCheck: () => integrityCheckPg(handle),
    close() {
      closed ??= eventLog.close().then(() => handle.close());
      return closed;
    },
  };
}
