import {
  type Author,
  type ChartInput,
  NotFoundError,
  type Plan,
  type PlanChange,
  type PlanDraft,
  type PlanEvent,
  type PlanEventLog,
  type PlanEventType,
  type PlanListQuery,
  type PlanRepository,
  type PlanRevision,
  type PlanStats,
  planEventPayload,
} from '@coachwire/core';
import type { CoachwireDatabase } from '../database.js';
import { writeWhenUnlocked } from '../lock-waits.js';
import { toCoachwireError } from '../storage-errors.js';
import {
  type PageChartValues,
  type PlanRow,
  type PlanValues,
  plansFromValues,
  toEvent,
  toPlan,
  toRevision,
} from './plan-rows.js';
import {
  type ListShape,
  type ListStatement,
  listShapeKey,
  type PlanStatements,
  prepareListStatement,
  preparePlanStatements,
} from './plan-statements.js';

/**
 * The SQLite implementation of core's PlanRepository and PlanEventLog. Calls are synchronous inside
 * (better-sqlite3); the Promise interface is the port's. Every change runs in one IMMEDIATE transaction,
 * so a writer in the other process waits for the lock (writeWhenUnlocked) instead of failing on a stale snapshot.
 */
export class SqlitePlanRepository implements PlanRepository, PlanEventLog {
  readonly #handle: CoachwireDatabase;
  #statements: PlanStatements | undefined;
  readonly #listStatements = new Map<string, ListStatement>();

  constructor(handle: CoachwireDatabase) {
    this.#handle = handle;
  }

  getById(id: number, options: { includeDeleted?: boolean } = {}): Promise<Plan | null> {
    return this.#run('read', () => {
      const row = this.#plan(id);
      if (!row || (row.deletedAt !== null && !options.includeDeleted)) return null;
      return this.#withCharts(row);
    });
  }

  getLive(coach: string, tradingDate: string): Promise<Plan | null> {
    return this.#run('read', () => {
      const row = this.#stmts.livePlan.get({ coach, tradingDate });
      return row ? this.#withCharts(row) : null;
    });
  }

  getBySourceMessageId(messageId: string): Promise<Plan | null> {
    return this.#run('read', () => {
      const row = this.#stmts.planBySourceMessage.get({ messageId });
      return row ? this.#withCharts(row) : null;
    });
  }

  list(query: PlanListQuery): Promise<Plan[]> {
    return this.#run('read', () => {
      const statement = this.#listStatement({
        tradingDate: query.tradingDate !== undefined,
        from: query.from !== undefined,
        to: query.to !== undefined,
        coach: query.coach !== undefined,
        authorId: query.authorId !== undefined,
        after: query.after !== undefined,
        includeDeleted: query.includeDeleted === true,
      });
      const planValues = statement.values({
        tradingDate: query.tradingDate,
        from: query.from,
        to: query.to,
        coach: query.coach,
        authorId: query.authorId,
        afterDate: query.after?.tradingDate,
        afterId: query.after?.id,
        limit: query.limit + 1,
      }) as PlanValues[];
      if (planValues.length === 0) return [];
      const charts = this.#stmts.chartsOfPlans.get({
        planIds: JSON.stringify(planValues.map((values) => values[0])),
      });
      // An aggregate answers one row, '[]' when no plan of the page has a chart.
      const chartValues = JSON.parse(charts?.values ?? '[]') as PageChartValues[];
      return plansFromValues(planValues, chartValues);
    });
  }

  history(planId: number): Promise<PlanRevision[]> {
    return this.#run('read', () => this.#stmts.revisionsOfPlan.all({ planId }).map(toRevision));
  }

  insert(draft: PlanDraft): Promise<Plan> {
    return this.#write('write', () => {
      const inserted = this.#stmts.insertPlan.get({
        coach: draft.coach,
        tradingDate: draft.tradingDate,
        text: draft.text,
        authorId: draft.author.id,
        authorName: draft.author.name,
        guildId: draft.guildId,
        channelId: draft.channelId,
        channelName: draft.channelName,
        sourceMessageId: draft.sourceMessageId,
        createdAt: draft.createdAt,
      });
      if (!inserted) throw new Error('INSERT ... RETURNING returned no row');
      this.#insertCharts(inserted.id, draft.charts);
      return this.#recordEvent('plan.created', inserted.id, draft.createdAt);
    });
  }

  update(planId: number, change: PlanChange): Promise<Plan> {
    return this.#write('write', () => {
      const current = this.#livePlanOrThrow(planId);
      this.#stmts.insertRevision.run({
        planId,
        previousText: current.text,
        editorId: change.editor.id,
        editorName: change.editor.name,
        editedAt: change.editedAt,
      });
      if (change.sourceMessageId !== undefined) {
        this.#stmts.updateTextAndSource.run({
          id: planId,
          text: change.text,
          editedAt: change.editedAt,
          sourceMessageId: change.sourceMessageId,
        });
      } else {
        this.#stmts.updateText.run({ id: planId, text: change.text, editedAt: change.editedAt });
      }
      if (change.charts !== undefined) {
        this.#stmts.deleteChartsOfPlan.run({ planId });
        this.#insertCharts(planId, change.charts);
      }
      return this.#recordEvent('plan.updated', planId, change.editedAt);
    });
  }

  softDelete(planId: number, by: Author, at: string): Promise<Plan> {
    return this.#write('write', () => {
      this.#livePlanOrThrow(planId);
      this.#stmts.markDeleted.run({ id: planId, deletedAt: at, deletedById: by.id, deletedByName: by.name });
      return this.#recordEvent('plan.deleted', planId, at);
    });
  }

  stats(): Promise<PlanStats> {
    return this.#run('read', () => {
      const row = this.#stmts.stats.get();
      return {
        totalPlans: row?.totalPlans ?? 0,
        totalCharts: row?.totalCharts ?? 0,
        totalEdits: row?.totalEdits ?? 0,
        latestPlanAt: row?.latestPlanAt ?? null,
      };
    });
  }

  authorIds(): Promise<(string | null)[]> {
    return this.#run('read', () => this.#stmts.authorIds.all().map((row) => row.authorId));
  }

  eventsAfter(afterId: number, limit: number): Promise<PlanEvent[]> {
    return this.#run('read', () => this.#stmts.eventsAfter.all({ afterId, limit }).map(toEvent));
  }

  latestEventId(): Promise<number> {
    return this.#run('read', () => this.#stmts.latestEventId.get()?.id ?? 0);
  }

  // Prepared on first use so that a missing or unmigrated database surfaces as a mapped error from a call.
  get #stmts(): PlanStatements {
    this.#statements ??= preparePlanStatements(this.#handle);
    return this.#statements;
  }

  #listStatement(shape: ListShape): ListStatement {
    const key = listShapeKey(shape);
    let statement = this.#listStatements.get(key);
    if (!statement) {
      statement = prepareListStatement(this.#handle, shape);
      this.#listStatements.set(key, statement);
    }
    return statement;
  }

  #plan(id: number): PlanRow | undefined {
    return this.#stmts.planById.get({ id });
  }

  #livePlanOrThrow(id: number): PlanRow {
    const row = this.#plan(id);
    if (!row || row.deletedAt !== null) throw new NotFoundError(`No plan with id ${id}.`);
    return row;
  }

  #withCharts(row: PlanRow): Plan {
    return toPlan(row, this.#stmts.chartsOfPlan.all({ planId: row.id }));
  }

  #insertCharts(planId: number, charts: readonly ChartInput[]): void {
    charts.forEach((chart, position) => {
      this.#stmts.insertChart.run({
        planId,
        position,
        url: chart.url,
        filename: chart.filename,
        contentType: chart.contentType ?? null,
        size: chart.size ?? null,
        width: chart.width ?? null,
        height: chart.height ?? null,
        discordAttachmentId: chart.discordAttachmentId ?? null,
      });
    });
  }

  /** Re-reads the plan as stored and appends its event; runs inside the change's transaction. */
  #recordEvent(type: PlanEventType, planId: number, occurredAt: string): Plan {
    const row = this.#plan(planId);
    if (!row) throw new Error(`plan ${planId} vanished inside its own transaction`);
    const plan = this.#withCharts(row);
    this.#stmts.insertEvent.run({
      type,
      planId,
      payload: JSON.stringify(planEventPayload(plan)),
      occurredAt,
    });
    return plan;
  }

  #run<T>(action: string, work: () => T): Promise<T> {
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(toCoachwireError(this.#handle.path, action, error));
    }
  }

  async #write<T>(action: string, work: () => T): Promise<T> {
    try {
      return await writeWhenUnlocked(this.#handle, () => this.#handle.sqlite.transaction(work).immediate());
    } catch (error) {
      throw toCoachwireError(this.#handle.path, action, error);
    }
  }
}
