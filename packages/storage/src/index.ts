export { BotStatusStore } from './bot-status-store.js';
export * from './charts/index.js';
export {
  BUSY_TIMEOUT_MS,
  type CoachwireDatabase,
  DirectoryError,
  ensureWritableDirectory,
  type OpenDatabaseOptions,
  openDatabase,
  type StorageLogger,
} from './database.js';
export { type EventLogPruneOptions, pruneEventLog } from './events/event-log-pruning.js';
export { EVENT_SCHEMA_VERSION, type EventDomain } from './events/event-schema.js';
// PostgreSQL backend (issue 17).
export {
  appendEventsPg,
  EVENTS_CHANNEL,
  type PgEventDraft,
  type PgEventWriter,
} from './events/pg-event-append.js';
export { SqliteEventLog } from './events/sqlite-event-log.js';
export { foreignTables, isOldPythonDatabase } from './legacy-database.js';
export {
  backupDatabase,
  countPlans,
  type IntegrityReport,
  integrityCheck,
  pingDatabase,
  writeCompleteFile,
} from './maintenance.js';
export {
  type DueAnnouncement,
  type MarketMessageLink,
  MarketMessageStore,
  type SettlementPayouts,
} from './markets/market-message-store.js';
export { SqliteMarketReadStore } from './markets/market-read-store.js';
export { createMarketServices, type MarketServices } from './markets/market-services.js';
export { PgMarketReadStore } from './markets/pg-market-read-store.js';
export {
  committedMigrations,
  MIGRATIONS_FOLDER,
  type MigrationResult,
  migrateDatabase,
  sqliteMigrationState,
} from './migrate.js';
export { PG_MIGRATIONS_FOLDER } from './pg-migrations-folder.js';
export {
  importLegacyPlans,
  type LegacyImportCounts,
  type LegacyImportPlan,
  type LegacyImportResult,
  LegacyImportVerificationError,
  type LegacyPlan,
  type LegacySqliteRows,
  planLegacyImport,
  readLegacySqlite,
} from './plans/legacy-import.js';
export { classifyLegacyPlans } from './plans/legacy-import-rules.js';
export { importLegacyPlansPg, planLegacyImportPg } from './plans/pg-legacy-import.js';
export { SqlitePlanRepository } from './plans/sqlite-plan-repository.js';
export { checkLedger, type LedgerReport } from './points/ledger-check.js';
export { checkLedgerPg, checkLedgerWith, type PgQueryable } from './points/pg-ledger-check.js';
export { PgLedgerStore } from './points/pg-ledger-store.js';
export { SqliteLedgerStore } from './points/sqlite-ledger-store.js';
export type {
  BotStatusPort,
  ChartArchivePort,
  MarketMessagePort,
  MemberNamePort,
  StoreEventLog,
} from './ports.js';
export {
  type CopiedTable,
  type CopyReport,
  CopyVerificationError,
  copySqliteToPostgres,
  describeNulText,
  type NulText,
  NulTextError,
  SourceIntegrityError,
  tablesInForeignKeyOrder,
} from './postgres/pg-copy.js';
export {
  DEFAULT_CONNECT_TIMEOUT_MS,
  type OpenPostgresOptions,
  openPostgres,
  type PgDatabase,
  type PgHandle,
  parsePgUrl,
  redactUrl,
} from './postgres/pg-database.js';
export { PG_LOCK_KEYS } from './postgres/pg-lock-keys.js';
export { migratePostgres, postgresMigrationState } from './postgres/pg-migrate.js';
export * as pgSchema from './postgres/pg-schema.js';
export {
  type OpenPostgresStoreOptions,
  openPostgresStore,
  type PostgresStore,
  postgresStoreOver,
} from './postgres/pg-store.js';
export * as schema from './schema.js';
export {
  type OpenSqliteStoreOptions,
  openSqliteStore,
  type SqliteStore,
  sqliteDatabaseOf,
  sqliteStoreOver,
} from './sqlite-store.js';
export { SchemaTooNewError } from './storage-errors.js';
export {
  type CoachwireStore,
  openingStage,
  StoreOpenError,
  type StoreOpenStage,
} from './store.js';
