import type {
  Author,
  Plan,
  PlanChange,
  PlanDraft,
  PlanEvent,
  PlanEventLog,
  PlanListQuery,
  PlanRepository,
  PlanRevision,
  PlanStats,
} from '@coachwire/core';

/** Receives the name and duration of every storage call slower than the threshold. */
export type SlowCallReporter = (call: string, durationMs: number) => void;

/** Database calls slower than this are logged: the API should answer in a few milliseconds. */
export const SLOW_DATABASE_CALL_MS = 50;

/** Wraps a repository so every call slower than SLOW_DATABASE_CALL_MS is reported (then logged as slow). */
export class TimedPlanRepository implements PlanRepository, PlanEventLog {
  constructor(
    private readonly inner: PlanRepository & PlanEventLog,
    private readonly reportSlow: SlowCallReporter,
    private readonly thresholdMs = SLOW_DATABASE_CALL_MS,
  ) {}

  private async time<T>(call: string, run: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await run();
    } finally {
      const duration = performance.now() - started;
      if (duration > this.thresholdMs) this.reportSlow(call, duration);
    }
  }

  getById(id: number, options?: { includeDeleted?: boolean }): Promise<Plan | null> {
    return this.time('getById', () => this.inner.getById(id, options));
  }
  getLive(coach: string, tradingDate: string): Promise<Plan | null> {
    return this.time('getLive', () => this.inner.getLive(coach, tradingDate));
  }
  getBySourceMessageId(messageId: string): Promise<Plan | null> {
    return this.time('getBySourceMessageId', () => this.inner.getBySourceMessageId(messageId));
  }
  list(query: PlanListQuery): Promise<Plan[]> {
    return this.time('list', () => this.inner.list(query));
  }
  history(planId: number): Promise<PlanRevision[]> {
    return this.time('history', () => this.inner.history(planId));
  }
  insert(draft: PlanDraft): Promise<Plan> {
    return this.time('insert', () => this.inner.insert(draft));
  }
  update(planId: number, change: PlanChange): Promise<Plan> {
    return this.time('update', () => this.inner.update(planId, change));
  }
  softDelete(planId: number, by: Author, at: string): Promise<Plan> {
    return this.time('softDelete', () => this.inner.softDelete(planId, by, at));
  }
  stats(): Promise<PlanStats> {
    return this.time('stats', () => this.inner.stats());
  }
  authorIds(): Promise<(string | null)[]> {
    return this.time('authorIds', () => this.inner.authorIds());
  }
  eventsAfter(afterId: number, limit: number): Promise<PlanEvent[]> {
    return this.time('eventsAfter', () => this.inner.eventsAfter(afterId, limit));
  }
  latestEventId(): Promise<number> {
    return this.time('latestEventId', () => this.inner.latestEventId());
  }
}
