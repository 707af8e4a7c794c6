import type Database from 'better-sqlite3';
import { and, asc, desc, eq, isNull, type SQL, sql } from 'drizzle-orm';
import type { CoachwireDatabase } from '../database.js';
import { charts, planEvents, planRevisions, plans } from '../schema.js';
import { pageChartColumns, planColumns } from './plan-rows.js';

const p = sql.placeholder;

/** The live-plan totals as the stats statement returns them. */
interface RawStats {
  totalPlans: number;
  totalCharts: number;
  totalEdits: number;
  latestPlanAt: string | null;
}

/**
 * Every statement the repository runs, prepared once per connection. list() has one statement per
 * combination of filters in use (at most a few dozen), prepared the first time that combination is seen.
 */
export function preparePlanStatements({ db, sqlite }: CoachwireDatabase) {
  return {
    planById: db
      .select()
      .from(plans)
      .where(eq(plans.id, p('id')))
      .prepare(),
    livePlan: db
      .select()
      .from(plans)
      .where(
        and(eq(plans.coach, p('coach')), eq(plans.tradingDate, p('tradingDate')), isNull(plans.deletedAt)),
      )
      .prepare(),
    // The live plan if there is one, else the newest deleted one.
    planBySourceMessage: db
      .select()
      .from(plans)
      .where(eq(plans.sourceMessageId, p('messageId')))
      .orderBy(sql`${plans.deletedAt} is null desc`, desc(plans.id))
      .limit(1)
      .prepare(),
    chartsOfPlan: db
      .select()
      .from(charts)
      .where(eq(charts.planId, p('planId')))
      .orderBy(asc(charts.position))
      .prepare(),
    // One query for the charts of a whole page: the ids arrive as one JSON array parameter, and the rows
    // leave as one JSON array of PageChartValues (see plan-rows.ts), in plan then position order. A page has
    // a hundred chart rows or more, and the driver handing their 1,200 values over one by one cost more than
    // SQLite's own work: as one JSON text, the charts of a page of 50 take 115 µs instead of 140, and the page
    // (storage bench, 100,000 plans) a p50 of 222 µs instead of 240.
    chartsOfPlans: db
      .select({
        values: sql<string>`json_group_array(json_array(${sql.join(Object.values(pageChartColumns), sql`, `)}) order by ${charts.planId}, ${charts.position})`,
      })
      .from(charts)
      .where(sql`${charts.planId} in (select value from json_each(${p('planIds')}))`)
      .prepare(),
    revisionsOfPlan: db
      .select()
      .from(planRevisions)
      .where(eq(planRevisions.planId, p('planId')))
      .orderBy(desc(planRevisions.editedAt), desc(planRevisions.id))
      .prepare(),
    insertPlan: db
      .insert(plans)
      .values({
        coach: p('coach'),
        tradingDate: p('tradingDate'),
        text: p('text'),
        authorId: p('authorId'),
        authorName: p('authorName'),
        guildId: p('guildId'),
        channelId: p('channelId'),
        channelName: p('channelName'),
        sourceMessageId: p('sourceMessageId'),
        createdAt: p('createdAt'),
      })
      .returning({ id: plans.id })
      .prepare(),
    insertChart: db
      .insert(charts)
      .values({
        planId: p('planId'),
        position: p('position'),
        url: p('url'),
        filename: p('filename'),
        contentType: p('contentType'),
        size: p('size'),
        width: p('width'),
        height: p('height'),
        discordAttachmentId: p('discordAttachmentId'),
      })
      .prepare(),
    deleteChartsOfPlan: db
      .delete(charts)
      .where(eq(charts.planId, p('planId')))
      .prepare(),
    insertRevision: db
      .insert(planRevisions)
      .values({
        planId: p('planId'),
        previousText: p('previousText'),
        editorId: p('editorId'),
        editorName: p('editorName'),
        editedAt: p('editedAt'),
      })
      .prepare(),
    updateText: db
      .update(plans)
      .set({ text: sql`${p('text')}`, editedAt: sql`${p('editedAt')}` })
      .where(eq(plans.id, p('id')))
      .prepare(),
    updateTextAndSource: db
      .update(plans)
      .set({
        text: sql`${p('text')}`,
        editedAt: sql`${p('editedAt')}`,
        sourceMessageId: sql`${p('sourceMessageId')}`,
      })
      .where(eq(plans.id, p('id')))
      .prepare(),
    markDeleted: db
      .update(plans)
      .set({
        deletedAt: sql`${p('deletedAt')}`,
        deletedById: sql`${p('deletedById')}`,
        deletedByName: sql`${p('deletedByName')}`,
      })
      .where(eq(plans.id, p('id')))
      .prepare(),
    insertEvent: db
      .insert(planEvents)
      .values({
        domain: 'plan',
        type: p('type'),
        planId: p('planId'),
        payload: p('payload'),
        occurredAt: p('occurredAt'),
      })
      .prepare(),
    eventsAfter: db
      .select()
      .from(planEvents)
      // The log holds every domain's events; plan readers see the plan ones (ids stay monotonic, with gaps).
      .where(and(eq(planEvents.domain, 'plan'), sql`${planEvents.id} > ${p('afterId')}`))
      .orderBy(asc(planEvents.id))
      .limit(p('limit'))
      .prepare(),
    latestEventId: db
      .select({ id: sql<number>`coalesce(max(${planEvents.id}), 0)` })
      .from(planEvents)
      .where(eq(planEvents.domain, 'plan'))
      .prepare(),
    // Totals of live plans only: deleted plans, their charts and their revisions are not counted.
    stats: prepareStats(sqlite),
    authorIds: db.selectDistinct({ authorId: plans.authorId }).from(plans).prepare(),
  };
}

/** A narrow view of the statement, so the inferred statement map needs no better-sqlite3 internal type names. */
interface StatsStatement {
  get(): RawStats | undefined;
}

function prepareStats(sqlite: Database.Database): StatsStatement {
  return sqlite.prepare<[], RawStats>(
    `SELECT
         (SELECT count(*) FROM plans WHERE deleted_at IS NULL) AS totalPlans,
         (SELECT count(*) FROM charts c JOIN plans p ON p.id = c.plan_id WHERE p.deleted_at IS NULL) AS totalCharts,
         (SELECT count(*) FROM plan_revisions r JOIN plans p ON p.id = r.plan_id WHERE p.deleted_at IS NULL)
           AS totalEdits,
         (SELECT max(created_at) FROM plans WHERE deleted_at IS NULL) AS latestPlanAt`,
  );
}

export type PlanStatements = ReturnType<typeof preparePlanStatements>;

/** Which filters a list query uses; each distinct shape gets its own prepared statement. */
export interface ListShape {
  readonly tradingDate: boolean;
  readonly from: boolean;
  readonly to: boolean;
  readonly coach: boolean;
  readonly authorId: boolean;
  readonly after: boolean;
  readonly includeDeleted: boolean;
}

export function listShapeKey(shape: ListShape): string {
  return Object.entries(shape)
    .filter(([, used]) => used)
    .map(([name]) => name)
    .join(',');
}

/**
 * The list statement for one filter shape: newest trading date first, then id descending, keyset paging.
 * Read with .values() as PlanValues (see plan-rows.ts).
 */
export function prepareListStatement({ db }: CoachwireDatabase, shape: ListShape) {
  const conditions: SQL[] = [];
  if (!shape.includeDeleted) conditions.push(isNull(plans.deletedAt));
  if (shape.tradingDate) conditions.push(eq(plans.tradingDate, p('tradingDate')));
  if (shape.from) conditions.push(sql`${plans.tradingDate} >= ${p('from')}`);
  if (shape.to) conditions.push(sql`${plans.tradingDate} <= ${p('to')}`);
  if (shape.coach) conditions.push(eq(plans.coach, p('coach')));
  if (shape.authorId) conditions.push(eq(plans.authorId, p('authorId')));
  // Row-value comparison lets SQLite walk the (trading_date, id) index from the cursor onwards.
  if (shape.after)
    conditions.push(sql`(${plans.tradingDate}, ${plans.id}) < (${p('afterDate')}, ${p('afterId')})`);
  return db
    .select(planColumns)
    .from(plans)
    .where(and(...conditions))
    .orderBy(desc(plans.tradingDate), desc(plans.id))
    .limit(p('limit'))
    .prepare();
}

export type ListStatement = ReturnType<typeof prepareListStatement>;
