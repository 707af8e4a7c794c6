import type { BotStatus, PlanEventLog, PlanRepository } from '@coachwire/core';
import type { Coachwire } from '@coachwire/runtime';
import {
  type ChartArchiveRepository,
  countPlans,
  type EventLogPruneOptions,
  pingDatabase,
  pruneEventLog,
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
}

/** The API's view of an opened runtime's database. */
export function apiStorageOf(coachwire: Coachwire): ApiStorage {
  const { repositories, database } = coachwire;
  return {
    repository: repositories.plans,
    charts: repositories.charts,
    readBotStatus: () => repositories.botStatus.read(),
    ping: () => pingDatabase(database),
    countLivePlans: () => countPlans(database),
    pruneEvents: (options) => pruneEventLog(database, options),
  };
}
