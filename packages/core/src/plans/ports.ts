import type { Author, ChartInput, Plan, PlanEvent, PlanEventType, PlanRevision, PlanStats } from './types.js';

/** A new plan as the service hands it to the repository (already validated and normalized). */
export interface PlanDraft {
  readonly coach: string;
  readonly tradingDate: string;
  readonly text: string;
  readonly author: Author;
  readonly guildId: string | null;
  readonly channelId: string | null;
  readonly channelName: string | null;
  readonly sourceMessageId: string | null;
  readonly charts: readonly ChartInput[];
  readonly createdAt: string;
}

/** A change to a live plan. `charts` replaces the chart list when given; omitted keeps it. */
export interface PlanChange {
  readonly text: string;
  readonly charts?: readonly ChartInput[];
  readonly editor: Author;
  readonly editedAt: string;
  /** Set when a repost moves the plan's source to a new Discord message. */
  readonly sourceMessageId?: string | null;
}

/** Filters for listing plans; all optional. Results are ordered newest trading date first, then by id descending. */
export interface PlanListQuery {
  readonly tradingDate?: string;
  readonly from?: string;
  readonly to?: string;
  readonly coach?: string;
  readonly authorId?: string;
  /** Keyset position: return plans strictly after this one in the ordering. */
  readonly after?: { readonly tradingDate: string; readonly id: number };
  readonly limit: number;
  readonly includeDeleted?: boolean;
}

/**
 * Where plans are kept. Implemented by @coachwire/storage (SQLite); the seam for another database.
 * Every method that changes state writes its plan event in the same transaction.
 * Methods reject with `CoachwireError`s only (`CONFLICT`, `NOT_FOUND`, `STORAGE_UNAVAILABLE`).
 */
export interface PlanRepository {
  getById(id: number, options?: { includeDeleted?: boolean }): Promise<Plan | null>;
  getLive(coach: string, tradingDate: string): Promise<Plan | null>;
  getBySourceMessageId(messageId: string): Promise<Plan | null>;
  /** Returns up to `limit + 1` rows so callers can tell whether another page exists. */
  list(query: PlanListQuery): Promise<Plan[]>;
  /** Newest first. */
  history(planId: number): Promise<PlanRevision[]>;
  /** Inserts the plan, its charts and a `plan.created` event. Rejects with CONFLICT if a live plan exists for (coach, date). */
  insert(draft: PlanDraft): Promise<Plan>;
  /** Replaces text (and charts when given), records a revision of the previous text and a `plan.updated` event. */
  update(planId: number, change: PlanChange): Promise<Plan>;
  /** Soft-deletes the plan and records a `plan.deleted` event. */
  softDelete(planId: number, by: Author, at: string): Promise<Plan>;
  stats(): Promise<PlanStats>;
  /**
   * The distinct author ids of every plan, live or deleted (a handful: the coaches and any API keys); null for
   * plans without a recorded author (imported from the old system).
   */
  authorIds(): Promise<(string | null)[]>;
}

/** Reading the plan event log (for server-sent events). */
export interface PlanEventLog {
  /** Events with id greater than `afterId`, oldest first. */
  eventsAfter(afterId: number, limit: number): Promise<PlanEvent[]>;
  latestEventId(): Promise<number>;
}

export type { PlanEventType };
