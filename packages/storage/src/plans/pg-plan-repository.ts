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
import { and, asc, desc, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import { charts } from '../charts/pg-chart-schema.js';
import { appendEventsPg } from '../events/pg-event-append.js';
import { events } from '../events/pg-event-schema.js';
import type { PgDatabase, PgHandle } from '../postgres/pg-database.js';
import { pgIdIs } from '../postgres/pg-ids.js';
import { readPlanPg } from './pg-plan-read.js';
import { planRevisions, plans } from './pg-plan-schema.js';
import { type ChartRow, type PlanRow, toEvent, toPlan, toRevision } from './plan-rows.js';

/** What `db` or a transaction of it offers; the reads below run on either. */
type PgExecutor = Pick<PgDatabase, 'select' | 'insert' | 'update' | 'delete' | 'execute'>;

const LIVE_PLAN_CONFLICT = 'A live plan already exists for this coach and trading date.';

/**
 * The PostgreSQL implementation of core's PlanRepository and PlanEventLog (READ COMMITTED).
 *
 * SQLite runs one writer at a time; here several instances write at once, so a change first locks its plan
 * row (`SELECT … FOR UPDATE`): two concurrent edits then apply one after the other, each recording the text it
 * replaced, and an edit racing a delete either lands first or finds the plan gone (NOT_FOUND). Two inserts
 * for one (coach, date) meet at the partial unique index; the loser's unique violation becomes CONFLICT.
 */
export class PgPlanRepository implements PlanRepository, PlanEventLog {
  readonly #handle: PgHandle;

  constructor(handle: PgHandle) {
    this.#handle = handle;
  }

  getById(id: number, options: { includeDeleted?: boolean } = {}): Promise<Plan | null> {
    return this.#readPool((pool) => readPlanPg(pool, 'byId', [id], options.includeDeleted === true));
  }

  getLive(coach: string, tradingDate: string): Promise<Plan | null> {
    return this.#readPool((pool) => readPlanPg(pool, 'live', [coach, tradingDate]));
  }

  getBySourceMessageId(messageId: string): Promise<Plan | null> {
    return this.#readPool((pool) => readPlanPg(pool, 'bySourceMessage', [messageId]));
  }

  list(query: PlanListQuery): Promise<Plan[]> {
    // No stored author id holds a NUL (PostgreSQL's text cannot), and as a parameter it fails the statement.
    if (query.authorId?.includes('\u0000')) return Promise.resolve([]);
    return this.#read(async (db) => {
      const conditions: SQL[] = [];
      if (query.includeDeleted !== true) conditions.push(isNull(plans.deletedAt));
      if (query.tradingDate !== undefined) conditions.push(eq(plans.tradingDate, query.tradingDate));
      if (query.from !== undefined) conditions.push(sql`${plans.tradingDate} >= ${query.from}`);
      if (query.to !== undefined) conditions.push(sql`${plans.tradingDate} <= ${query.to}`);
      if (query.coach !== undefined) conditions.push(eq(plans.coach, query.coach));
      if (query.authorId !== undefined) conditions.push(eq(plans.authorId, query.authorId));
      // Row-value comparison walks the (trading_date, id) index from the cursor onwards.
      if (query.after !== undefined) {
        conditions.push(
          sql`(${plans.tradingDate}, ${plans.id}) < (${query.after.tradingDate}, ${query.after.id}::bigint)`,
        );
      }
      const rows = await db
        .select()
        .from(plans)
        .where(and(...conditions))
        .orderBy(desc(plans.tradingDate), desc(plans.id))
        .limit(query.limit + 1);
      if (rows.length === 0) return [];
      // The charts of the whole page in one query, grouped by plan.
      const chartRows = await db
        .select()
        .from(charts)
        .where(
          inArray(
            charts.planId,
            rows.map((row) => row.id),
          ),
        )
        .orderBy(asc(charts.planId), asc(charts.position));
      const chartsByPlan = new Map<number, ChartRow[]>();
      for (const chart of chartRows) {
        const list = chartsByPlan.get(chart.planId);
        if (list) list.push(chart);
        else chartsByPlan.set(chart.planId, [chart]);
      }
      return rows.map((row) => toPlan(row, chartsByPlan.get(row.id) ?? []));
    });
  }

  history(planId: number): Promise<PlanRevision[]> {
    return this.#read(async (db) => {
      const rows = await db
        .select()
        .from(planRevisions)
        .where(pgIdIs(planRevisions.planId, planId))
        .orderBy(desc(planRevisions.editedAt), desc(planRevisions.id));
      return rows.map(toRevision);
    });
  }

  insert(draft: PlanDraft): Promise<Plan> {
    return this.#write(async (tx) => {
      const [inserted] = await tx
        .insert(plans)
        .values({
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
        })
        .returning({ id: plans.id });
      if (!inserted) throw new Error('INSERT ... RETURNING returned no row');
      await insertCharts(tx, inserted.id, draft.charts);
      return recordEvent(tx, 'plan.created', inserted.id, draft.createdAt);
    });
  }

  update(planId: number, change: PlanChange): Promise<Plan> {
    return this.#write(async (tx) => {
      const current = await lockLivePlan(tx, planId);
      await tx.insert(planRevisions).values({
        planId,
        previousText: current.text,
        editorId: change.editor.id,
        editorName: change.editor.name,
        editedAt: change.editedAt,
      });
      await tx
        .update(plans)
        .set({
          text: change.text,
          editedAt: change.editedAt,
          ...(change.sourceMessageId !== undefined ? { sourceMessageId: change.sourceMessageId } : {}),
        })
        .where(eq(plans.id, planId));
      if (change.charts !== undefined) {
        await tx.delete(charts).where(eq(charts.planId, planId));
        await insertCharts(tx, planId, change.charts);
      }
      return recordEvent(tx, 'plan.updated', planId, change.editedAt);
    });
  }

  softDelete(planId: number, by: Author, at: string): Promise<Plan> {
    return this.#write(async (tx) => {
      await lockLivePlan(tx, planId);
      await tx
        .update(plans)
        .set({ deletedAt: at, deletedById: by.id, deletedByName: by.name })
        .where(eq(plans.id, planId));
      return recordEvent(tx, 'plan.deleted', planId, at);
    });
  }

  authorIds(): Promise<(string | null)[]> {
    return this.#read(async (db) =>
      (await db.selectDistinct({ authorId: plans.authorId }).from(plans)).map((row) => row.authorId),
    );
  }

  stats(): Promise<PlanStats> {
    return this.#read(async (db) => {
      // Totals of live plans only: deleted plans, their charts and their revisions are not counted.
      const { rows } = await db.execute<{
        totalPlans: number;
        totalCharts: number;
        totalEdits: number;
        latestPlanAt: string | null;
      }>(sql`SELECT
          (SELECT count(*)::int FROM plans WHERE deleted_at IS NULL) AS "totalPlans",
          (SELECT count(*)::int FROM charts c JOIN plans p ON p.id = c.plan_id WHERE p.deleted_at IS NULL)
            AS "totalCharts",
          (SELECT count(*)::int FROM plan_revisions r JOIN plans p ON p.id = r.plan_id WHERE p.deleted_at IS NULL)
            AS "totalEdits",
          (SELECT max(created_at) FROM plans WHERE deleted_at IS NULL) AS "latestPlanAt"`);
      const row = rows[0];
      return {
        totalPlans: row?.totalPlans ?? 0,
        totalCharts: row?.totalCharts ?? 0,
        totalEdits: row?.totalEdits ?? 0,
        latestPlanAt: row?.latestPlanAt ?? null,
      };
    });
  }

  eventsAfter(afterId: number, limit: number): Promise<PlanEvent[]> {
    return this.#read(async (db) => {
      const rows = await db
        .select()
        .from(events)
        // The log holds every domain's events; plan readers see the plan ones (ids stay monotonic, with gaps).
        .where(and(eq(events.domain, 'plan'), sql`${events.id} > ${afterId}`))
        .orderBy(asc(events.id))
        .limit(limit);
      return rows.map(toEvent);
    });
  }

  latestEventId(): Promise<number> {
    return this.#readPool(async (pool) => {
      const { rows } = await pool.query<{ id: number }>({
        name: 'coachwire_latest_plan_event_id',
        text: `SELECT coalesce(max(id), 0) AS id FROM events WHERE domain = 'plan'`,
      });
      return Number(rows[0]?.id ?? 0);
    });
  }

  async #read<T>(work: (db: PgDatabase) => Promise<T>): Promise<T> {
    try {
      return await work(this.#handle.db);
    } catch (error) {
      throw this.#handle.toError('read', error);
    }
  }

  async #readPool<T>(work: (pool: PgHandle['pool']) => Promise<T>): Promise<T> {
    try {
      return await work(this.#handle.pool);
    } catch (error) {
      throw this.#handle.toError('read', error);
    }
  }

  async #write<T>(work: (tx: PgExecutor) => Promise<T>): Promise<T> {
    try {
      return await this.#handle.db.transaction((tx) => work(tx));
    } catch (error) {
      throw this.#handle.toError('write', error, LIVE_PLAN_CONFLICT);
    }
  }
}

async function withCharts(db: PgExecutor, row: PlanRow): Promise<Plan> {
  const chartRows = await db
    .select()
    .from(charts)
    .where(eq(charts.planId, row.id))
    .orderBy(asc(charts.position));
  return toPlan(row, chartRows);
}

/** The live plan, locked until the transaction ends; NOT_FOUND when it is missing or deleted. */
async function lockLivePlan(tx: PgExecutor, id: number): Promise<PlanRow> {
  const [row] = await tx.select().from(plans).where(pgIdIs(plans.id, id)).for('update');
  if (!row || row.deletedAt !== null) throw new NotFoundError(`No plan with id ${id}.`);
  return row;
}

async function insertCharts(tx: PgExecutor, planId: number, inputs: readonly ChartInput[]): Promise<void> {
  if (inputs.length === 0) return;
  await tx.insert(charts).values(
    inputs.map((chart, position) => ({
      planId,
      position,
      url: chart.url,
      filename: chart.filename,
      contentType: chart.contentType ?? null,
      size: chart.size ?? null,
      width: chart.width ?? null,
      height: chart.height ?? null,
      discordAttachmentId: chart.discordAttachmentId ?? null,
    })),
  );
}

/** Re-reads the plan as stored and appends its event, inside the change's transaction. */
async function recordEvent(
  tx: PgExecutor,
  type: PlanEventType,
  planId: number,
  occurredAt: string,
): Promise<Plan> {
  const [row] = await tx.select().from(plans).where(eq(plans.id, planId));
  if (!row) throw new Error(`plan ${planId} vanished inside its own transaction`);
  const plan = await withCharts(tx, row);
  await appendEventsPg(tx, [{ type, planId, payload: planEventPayload(plan), occurredAt }]);
  return plan;
}
