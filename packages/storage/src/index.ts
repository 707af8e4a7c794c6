export { BotStatusStore } from './bot-status-store.js';
export * from './charts/index.js';
export {
  BUSY_TIMEOUT_MS,
  type CoachwireDatabase,
  type OpenDatabaseOptions,
  openDatabase,
  type StorageLogger,
} from './database.js';
export { type EventLogPruneOptions, pruneEventLog } from './event-log-pruning.js';
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
} from './legacy-import.js';
export {
  backupDatabase,
  countPlans,
  type IntegrityReport,
  integrityCheck,
  pingDatabase,
} from './maintenance.js';
export { MIGRATIONS_FOLDER, type MigrationResult, migrateDatabase } from './migrate.js';
export * as schema from './schema.js';
export { SqlitePlanRepository } from './sqlite-plan-repository.js';
