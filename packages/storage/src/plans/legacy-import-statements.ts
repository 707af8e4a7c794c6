import { and, asc, count, eq, isNull, sql } from 'drizzle-orm';
import type { CoachwireDatabase } from '../database.js';
import { charts, planEvents, planRevisions, plans } from '../schema.js';

const p = sql.placeholder;

/**
 * The statements the legacy import runs on Coachwire's own database, prepared once per import in the style of
 * plan-statements.ts. Reading, events and charts reuse the plan repository's statements; these are the ones
 * only an import needs: a plan written with its original times and deletion, and the checks around it.
 */
export function prepareLegacyImportStatements({ db }: CoachwireDatabase) {
  return {
    // An imported plan has no author id; a row like this means an earlier import already wrote it.
    importedBefore: db
      .select({ id: plans.id })
      .from(plans)
      .where(
        and(
          eq(plans.coach, p('coach')),
          eq(plans.tradingDate, p('tradingDate')),
          eq(plans.createdAt, p('createdAt')),
          eq(plans.authorName, p('authorName')),
          isNull(plans.authorId),
        ),
      )
      .limit(1)
      .prepare(),
    insertImportedPlan: db
      .insert(plans)
      .values({
        coach: p('coach'),
        tradingDate: p('tradingDate'),
        text: p('text'),
        authorId: null,
        authorName: p('authorName'),
        channelName: p('channelName'),
        createdAt: p('createdAt'),
        editedAt: p('editedAt'),
        deletedAt: p('deletedAt'),
        deletedByName: p('deletedByName'),
      })
      .returning({ id: plans.id })
      .prepare(),
    // In the order they were written, which is the source's order (oldest first).
    revisionsInWriteOrder: db
      .select()
      .from(planRevisions)
      .where(eq(planRevisions.planId, p('planId')))
      .orderBy(asc(planRevisions.id))
      .prepare(),
    countPlans: db.select({ n: count() }).from(plans).prepare(),
    countCharts: db.select({ n: count() }).from(charts).prepare(),
    countRevisions: db.select({ n: count() }).from(planRevisions).prepare(),
    countEvents: db.select({ n: count() }).from(planEvents).prepare(),
  };
}

export type LegacyImportStatements = ReturnType<typeof prepareLegacyImportStatements>;
