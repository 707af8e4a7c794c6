import { BotStatusStore } from './bot-status-store.js';
import { ChartArchiveRepository } from './charts/chart-archive-repository.js';
import type { CoachwireDatabase, StorageLogger } from './database.js';
import { openDatabase } from './database.js';
import { SqliteEventLog } from './events/sqlite-event-log.js';
import { waitForLocksInSlices } from './lock-waits.js';
import { countPlans, integrityCheck, pingDatabase } from './maintenance.js';
import { MarketMessageStore } from './markets/market-message-store.js';
import { SqliteMarketReadStore } from './markets/market-read-store.js';
import { SqliteMemberNames } from './members/member-names.js';
import { migrateDatabase } from './migrate.js';
import { SqlitePlanRepository } from './plans/sqlite-plan-repository.js';
import { checkLedger } from './points/ledger-check.js';
import { SqliteLedgerStore } from './points/sqlite-ledger-store.js';
import { type CoachwireStore, openingStage } from './store.js';

export interface OpenSqliteStoreOptions {
  /** Path of the SQLite file; it and its directory are created when missing. */
  readonly path: string;
  readonly logger?: StorageLogger | undefined;
  /** See OpenDatabaseOptions.backgroundCheckpoints: for long-running processes. */
  readonly backgroundCheckpoints?: boolean | undefined;
  /**
   * For processes that serve while they write (the API, the bot): once migrated, another process's write lock
   * is waited for in short slices with the event loop free between them (see waitForLocksInSlices), not in one
   * blocking wait.
   */
  readonly lockWaitsInSlices?: boolean | undefined;
}

/** A store over one SQLite file; `database` is the raw handle for what only SQLite has (backups, legacy import). */
export interface SqliteStore extends CoachwireStore {
  readonly kind: 'sqlite';
  readonly database: CoachwireDatabase;
}

/**
 * Opens (creating when needed), migrates and pings the SQLite file, then builds every port over it. A failure
 * is a StoreOpenError (STORAGE_UNAVAILABLE naming the path) of the stage that failed; nothing is left open.
 */
export async function openSqliteStore(options: OpenSqliteStoreOptions): Promise<SqliteStore> {
  const database = await openingStage('open', () =>
    openDatabase({
      path: options.path,
      logger: options.logger,
      backgroundCheckpoints: options.backgroundCheckpoints,
    }),
  );
  try {
    await openingStage('migrate', () => migrateDatabase(database));
    await openingStage('ping', () => pingDatabase(database));
    if (options.lockWaitsInSlices === true) waitForLocksInSlices(database);
  } catch (error) {
    database.close();
    throw error;
  }
  return sqliteStoreOver(database);
}

/** The ports over a database that is already open and migrated; `close()` closes it. */
export function sqliteStoreOver(database: CoachwireDatabase): SqliteStore {
  return {
    kind: 'sqlite',
    location: database.path,
    database,
    plans: new SqlitePlanRepository(database),
    eventLog: new SqliteEventLog(database),
    charts: new ChartArchiveRepository(database),
    botStatus: new BotStatusStore(database),
    marketMessages: new MarketMessageStore(database),
    memberNames: new SqliteMemberNames(database),
    ledger: new SqliteLedgerStore(database),
    marketReads: new SqliteMarketReadStore(database),
    ping: async () => pingDatabase(database),
    countPlans: async (options) => countPlans(database, options),
    integrityCheck: async () => integrityCheck(database),
    checkLedger: async () => checkLedger(database),
    close: async () => database.close(),
  };
}

/** The SQLite handle under a store, for what only SQLite has; a clear error for any other backend. */
export function sqliteDatabaseOf(store: CoachwireStore): CoachwireDatabase {
  if (store.kind !== 'sqlite' || !('database' in store))
    throw new Error(`This needs the SQLite database; the store at ${store.location} is ${store.kind}.`);
  return (store as SqliteStore).database;
}
