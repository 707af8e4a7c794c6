import type { BotStatus, EventLogReader, LoggedEvent, PlanEventLog, PlanRepository } from '@coachwire/core';
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
  /** The event log of every domain; fakes without one serve the plan events of `repository`. */
  readonly eventLog?: EventLogReader;
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
    eventLog: repositories.eventLog,
    charts: repositories.charts,
    readBotStatus: () => repositories.botStatus.read(),
    ping: () => pingDatabase(database),
    countLivePlans: () => countPlans(database),
    pruneEvents: (options) => pruneEventLog(database, options),
  };
}

/** The event log the API reads: the storage's, or the plan events of a plan-only fake. */
export function eventLogOf(storage: ApiStorage): EventLogReader {
  if (storage.eventLog) return storage.eventLog;
  const plans = storage.repository;
  const asLogged = (event: Awaited<ReturnType<PlanEventLog['eventsAfter']>>[number]): LoggedEvent => ({
    id: event.id,
    domain: 'plan',
    type: event.type,
    guildId: null,
    planId: event.planId,
    marketId: null,
    payload: event.payload as unknown as Record<string, unknown>,
    occurredAt: event.occurredAt,
  });
  return {
    eventsAfter: async (afterId, limit, domains) =>
      domains && !domains.includes('plan') ? [] : (await plans.eventsAfter(afterId, limit)).map(asLogged),
    latestEventId: () => plans.latestEventId(),
    countBetween: async (afterId, upToId, domains) => {
      if (!domains.includes('plan')) return 0;
      const events = await plans.eventsAfter(afterId, upToId - afterId);
      return events.filter((event) => event.id <= upToId).length;
    },
  };
}
