import type { BotStatus, PlanEventLog, PlanRepository } from '@coachwire/core';
import {
  BotStatusStore,
  ChartArchiveRepository,
  type CoachwireDatabase,
  countPlans,
  type EventLogPruneOptions,
  pingDatabase,
  pruneEventLog,
  SqlitePlanRepository,
} from '@coachwire/storage';

/** Everything the API needs from the database, behind one seam (tests and other databases plug in here). */
export interface ApiStorage {
  readonly repository: PlanRepository & PlanEventLog;
  /** Chart rows and their archive state (for serving archived chart files). */
  readonly charts: Pick<ChartArchiveRepository, 'get' | 'getByHash'>;
  /** The bot's last heartbeat row, or null if it never wrote one. Throws STORAGE_UNAVAILABLE. */
  readBotStatus(): BotStatus | null;
  /** Throws STORAGE_UNAVAILABLE when the database does not answer. */
  ping(): void;
  /** Live plans. Throws STORAGE_UNAVAILABLE. */
  countLivePlans(): number;
  /** Deletes old events (by age and count, keeping the newest); resolves with the rows deleted. */
  pruneEvents(options: EventLogPruneOptions): Promise<number>;
  close(): void;
}

/** The API's view of an open SQLite database. */
export function storageFromDatabase(handle: CoachwireDatabase): ApiStorage {
  const botStatus = new BotStatusStore(handle);
  return {
    repository: new SqlitePlanRepository(handle),
    charts: new ChartArchiveRepository(handle),
    readBotStatus: () => botStatus.read(),
    ping: () => pingDatabase(handle),
    countLivePlans: () => countPlans(handle),
    pruneEvents: (options) => pruneEventLog(handle, options),
    close: () => handle.close(),
  };
}
