import { planEventPayload } from '@coachwire/core';
import { and, asc, desc, eq, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import { appendEventsPg, type PgEventDraft } from '../events/pg-event-append.js';
import { plans } from '../plans/pg-plan-schema.js';
import { toPlan } from '../plans/plan-rows.js';
import type { ChartArchivePort } from '../ports.js';
import type { PgDatabase, PgHandle } from '../postgres/pg-database.js';
import { pgIdIs } from '../postgres/pg-ids.js';
import type { ArchivedChartRecord, ArchiveFacts } from './chart-archive-repository.js';
import { charts } from './pg-chart-schema.js';

/** A chart row as the archive bookkeeping reads it, with whether its plan is live. */
const record = {
  id: charts.id,
  planId: charts.planId,
  url: charts.url,
  filename: charts.filename,
  contentType: charts.contentType,
  size: charts.size,
  sha256: charts.sha256,
  archiveStatus: charts.archiveStatus,
  archiveAttempts: charts.archiveAttempts,
  archiveError: charts.archiveError,
  planLive: sql<boolean>`(${plans.deletedAt} is null)`,
};

type Reader = Pick<PgDatabase, 'select'>;

const withPlan = (db: Reader) => db.select(record).from(charts).innerJoin(plans, eq(plans.id, charts.planId));

/** The PostgreSQL chart archive bookkeeping; the same statements and semantics as ChartArchiveRepository. */
export class PgChartArchive implements ChartArchivePort {
  readonly #handle: PgHandle;

  constructor(handle: PgHandle) {
    this.#handle = handle;
  }

  get(chartId: number): Promise<ArchivedChartRecord | null> {
    return this.#run('read', async (db) => (await withPlan(db).where(pgIdIs(charts.id, chartId)))[0] ?? null);
  }

  getByHash(sha256: string): Promise<ArchivedChartRecord | null> {
    return this.#run('read', async (db) => {
      // A hash may be shared by several charts: prefer one of a live plan, then the newest.
      const [row] = await withPlan(db)
        .where(and(eq(charts.sha256, sha256), eq(charts.archiveStatus, 'archived')))
        .orderBy(sql`(${plans.deletedAt} is null) desc`, desc(charts.id))
        .limit(1);
      return row ?? null;
    });
  }

  ofPlan(planId: number): Promise<ArchivedChartRecord[]> {
    return this.#run('read', (db) =>
      withPlan(db).where(pgIdIs(charts.planId, planId)).orderBy(asc(charts.position)),
    );
  }

  markPlanPending(planId: number): Promise<number> {
    return this.#run('write', async (db) => {
      const result = await db
        .update(charts)
        .set({ archiveStatus: 'pending' })
        .where(and(eq(charts.planId, planId), eq(charts.archiveStatus, 'none')));
      return result.rowCount ?? 0;
    });
  }

  listPending(maxAttempts: number, limit = 100): Promise<ArchivedChartRecord[]> {
    return this.#run('read', (db) =>
      withPlan(db)
        .where(
          and(
            eq(charts.archiveStatus, 'pending'),
            lt(charts.archiveAttempts, maxAttempts),
            isNull(plans.deletedAt),
          ),
        )
        .orderBy(asc(charts.id))
        .limit(limit),
    );
  }

  recordArchived(chartId: number, facts: ArchiveFacts): Promise<void> {
    return this.recordArchivedCharts([{ chartId, facts }]);
  }

  /**
   * Records successful archives in one transaction; each plan whose chart got its stable URL (first archive)
   * gets one `plan.updated` event in that transaction, as ChartArchiveRepository does on SQLite.
   */
  async recordArchivedCharts(archives: readonly { chartId: number; facts: ArchiveFacts }[]): Promise<void> {
    if (archives.length === 0) return;
    await this.#run('write', (db) =>
      db.transaction(async (tx) => {
        const changedPlans = new Map<number, string>();
        for (const { chartId, facts } of archives) {
          // Locks the chart so two archivers of one chart agree on whether its URL changed.
          const [before] = await tx.select().from(charts).where(eq(charts.id, chartId)).for('update');
          if (!before) continue;
          await tx
            .update(charts)
            .set({
              archiveStatus: 'archived',
              sha256: facts.sha256,
              size: facts.size,
              contentType: facts.contentType,
              width: facts.width,
              height: facts.height,
              archivedAt: facts.archivedAt,
              archiveError: null,
              archiveAttempts: sql`${charts.archiveAttempts} + 1`,
            })
            .where(eq(charts.id, chartId));
          const urlChanged = before.archiveStatus !== 'archived' || before.sha256 === null;
          if (urlChanged) changedPlans.set(before.planId, facts.archivedAt);
        }
        const drafts: PgEventDraft[] = [];
        for (const [planId, archivedAt] of changedPlans) {
          const [row] = await tx.select().from(plans).where(eq(plans.id, planId));
          if (!row) continue;
          drafts.push({
            type: 'plan.updated',
            planId: row.id,
            payload: planEventPayload(toPlan(row, [])),
            occurredAt: archivedAt,
          });
        }
        await appendEventsPg(tx, drafts);
      }),
    );
  }

  async recordFailure(
    chartId: number,
    error: string,
    options: { maxAttempts: number; final?: boolean },
  ): Promise<void> {
    await this.#run('write', (db) =>
      db
        .update(charts)
        .set({
          archiveAttempts: sql`${charts.archiveAttempts} + 1`,
          archiveError: error.slice(0, 500),
          // SET expressions read the row as it was, so `attempts + 1` counts this failure.
          archiveStatus: sql`case when ${options.final === true} or ${charts.archiveAttempts} + 1 >= ${options.maxAttempts}
            then 'failed' else 'pending' end`,
        })
        .where(eq(charts.id, chartId)),
    );
  }

  referencedHashes(options: { includeDeletedPlans?: boolean } = {}): Promise<Set<string>> {
    return this.#run('read', async (db) => {
      const rows = options.includeDeletedPlans
        ? await db.selectDistinct({ sha256: charts.sha256 }).from(charts).where(isNotNull(charts.sha256))
        : await db
            .selectDistinct({ sha256: charts.sha256 })
            .from(charts)
            .innerJoin(plans, eq(plans.id, charts.planId))
            .where(and(isNotNull(charts.sha256), isNull(plans.deletedAt)));
      return new Set(rows.flatMap((row) => (row.sha256 === null ? [] : [row.sha256])));
    });
  }

  async #run<T>(action: string, work: (db: PgDatabase) => Promise<T>): Promise<T> {
    try {
      return await work(this.#handle.db);
    } catch (error) {
      throw this.#handle.toError(action, error);
    }
  }
}
