import type { BotStatus, LoggedEvent, PlanEventLog, PlanRepository } from '@coachwire/core';
import type { Coachwire } from '@coachwire/runtime';
import type { ChartArchivePort, EventLogPruneOptions } from '@coachwire/storage';
import type { PolledEventLog } from './events/event-log-poller.js';

/** Everything the API needs from the database, behind one seam (tests and other databases plug in here). */
export interface ApiStorage {
  readonly repository: PlanRepository & PlanEventLog;
  /**
   * The event log of every domain, with the backend's wake-ups on append where it has them; fakes without one
   * serve the plan events of `repository`.
   */
  readonly eventLog?: PolledEventLog;
  /** Chart rows and their archive state (for serving archived chart files). */
  readonly charts: Pick<ChartArchivePort, 'get' | 'getByHash'>;
  /** The bot's last heartbeat row, or null if it never wrote one. Rejects with STORAGE_UNAVAILABLE. */
  readBotStatus(): Promise<BotStatus | null>;
  /** Rejects with STORAGE_UNAVAILABLE when the database does not answer. */
  ping(): Promise<void>;
  /** Live plans. Rejects with STORAGE_UNAVAILABLE. */
  countLivePlans(): Promise<number>;
  /** Deletes old events (by age and count, keeping the newest); resolves with the rows deleted. */
  pruneEvents(options: EventLogPruneOptions): Promise<number>;
}

/** The API's view of an opened runtime's database. */
export function apiStorageOf(coachwire: Coachwire): ApiStorage {
  const { repositories, store } = coachwire;
  return {
    repository: repositories.plans,
    eventLog: repositories.eventLog,
    charts: repositories.charts,
    readBotStatus: () => repositories.botStatus.read(),
    ping: () => store.ping(),
    countLivePlans: () => store.countPlans(),
    pruneEvents: (options) => repositories.eventLog.prune(options),
  };
}

/** The event log the API reads: the storage's, or the plan events of a plan-only fake. */
export function eventLogOf(storage: ApiStorage): PolledEventLog {
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
