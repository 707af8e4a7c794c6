import { and, asc, desc, eq, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import type { CoachwireDatabase } from '../database.js';
import { charts, plans } from '../schema.js';

const p = sql.placeholder;

/** A chart row as the archive bookkeeping reads it, with whether its plan is live (1) or soft-deleted (0). */
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
  planLive: sql<0 | 1>`(${plans.deletedAt} is null)`,
};

/** Every statement of the chart archive, prepared once per connection in the style of plan-statements.ts. */
export function prepareChartArchiveStatements({ db }: CoachwireDatabase) {
  const withPlan = () => db.select(record).from(charts).innerJoin(plans, eq(plans.id, charts.planId));
  return {
    byId: withPlan()
      .where(eq(charts.id, p('id')))
      .prepare(),
    // A hash may be shared by several charts: prefer one of a live plan, then the newest.
    byHash: withPlan()
      .where(and(eq(charts.sha256, p('sha256')), eq(charts.archiveStatus, 'archived')))
      .orderBy(sql`(${plans.deletedAt} is null) desc`, desc(charts.id))
      .limit(1)
      .prepare(),
    ofPlan: withPlan()
      .where(eq(charts.planId, p('planId')))
      .orderBy(asc(charts.position))
      .prepare(),
    markPending: db
      .update(charts)
      .set({ archiveStatus: 'pending' })
      .where(and(eq(charts.planId, p('planId')), eq(charts.archiveStatus, 'none')))
      .prepare(),
    pending: withPlan()
      .where(
        and(
          eq(charts.archiveStatus, 'pending'),
          lt(charts.archiveAttempts, p('maxAttempts')),
          isNull(plans.deletedAt),
        ),
      )
      .orderBy(asc(charts.id))
      .limit(p('limit'))
      .prepare(),
    archived: db
      .update(charts)
      .set({
        archiveStatus: 'archived',
        sha256: sql`${p('sha256')}`,
        size: sql`${p('size')}`,
        contentType: sql`${p('contentType')}`,
        width: sql`${p('width')}`,
        height: sql`${p('height')}`,
        archivedAt: sql`${p('archivedAt')}`,
        archiveError: null,
        archiveAttempts: sql`${charts.archiveAttempts} + 1`,
      })
      .where(eq(charts.id, p('id')))
      .prepare(),
    // SET expressions read the row as it was, so `attempts + 1` is the count including this failure.
    failure: db
      .update(charts)
      .set({
        archiveAttempts: sql`${charts.archiveAttempts} + 1`,
        archiveError: sql`${p('error')}`,
        archiveStatus: sql`case when ${p('final')} = 1 or ${charts.archiveAttempts} + 1 >= ${p('maxAttempts')}
          then 'failed' else 'pending' end`,
      })
      .where(eq(charts.id, p('id')))
      .prepare(),
    referencedByLivePlans: db
      .selectDistinct({ sha256: charts.sha256 })
      .from(charts)
      .innerJoin(plans, eq(plans.id, charts.planId))
      .where(and(isNotNull(charts.sha256), isNull(plans.deletedAt)))
      .prepare(),
    referencedByAnyPlan: db
      .selectDistinct({ sha256: charts.sha256 })
      .from(charts)
      .where(isNotNull(charts.sha256))
      .prepare(),
  };
}

export type ChartArchiveStatements = ReturnType<typeof prepareChartArchiveStatements>;
