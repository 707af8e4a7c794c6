import { CoachwireError, planEventPayload } from '@coachwire/core';
import { asc, eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import { charts } from '../charts/pg-chart-schema.js';
import { appendEventsPg } from '../events/pg-event-append.js';
import type { PgHandle } from '../postgres/pg-database.js';
import {
  assertNoConflicts,
  assertWellFormedLegacyText,
  classifyLegacyPlans,
  compareWithSource,
  countMismatches,
  expectedImportCounts,
  type LegacyImportCounts,
  type LegacyImportPlan,
  type LegacyImportResult,
  LegacyImportVerificationError,
  type LegacyPlan,
  type StoredImport,
} from './legacy-import-rules.js';
import { planRevisions, plans } from './pg-plan-schema.js';
import { toPlan } from './plan-rows.js';

// The legacy import into PostgreSQL: the same decisions as on SQLite (legacy-import-rules.ts), with the
// lookups read up front and the writes in one transaction on one client.

type Client = pg.Pool | pg.PoolClient;

/** Sorts plans into new, already imported, and conflicting against the PostgreSQL database. */
export async function planLegacyImportPg(
  handle: PgHandle,
  plans: readonly LegacyPlan[],
): Promise<LegacyImportPlan> {
  try {
    return await classify(handle.pool, plans);
  } catch (error) {
    throw handle.toError('read', error);
  }
}

/**
 * Writes the new plans like importLegacyPlans does on SQLite, in one transaction that also reads
 * everything back and compares it with the source; any difference rolls the import back.
 */
export async function importLegacyPlansPg(
  handle: PgHandle,
  plans: readonly LegacyPlan[],
  options: { readonly skipConflicts?: boolean } = {},
): Promise<LegacyImportResult> {
  assertWellFormedLegacyText(plans);
  let client: pg.PoolClient;
  try {
    client = await handle.pool.connect();
  } catch (error) {
    throw handle.toError('connect to', error);
  }
  try {
    await client.query('BEGIN');
    try {
      // Another import (or a bot posting the same coach and date) waits instead of slipping in between
      // the classification and the writes.
      await client.query('LOCK TABLE plans IN SHARE ROW EXCLUSIVE MODE');
      const plan = await classify(client, plans);
      assertNoConflicts(plan, options.skipConflicts);
      const before = await tableCounts(client);
      const ids: number[] = [];
      for (const legacy of plan.toInsert) ids.push(await insertLegacyPlan(client, legacy));
      const expected = expectedImportCounts(plan.toInsert);
      const mismatches = countMismatches(before, await tableCounts(client), expected);
      for (const [index, legacy] of plan.toInsert.entries())
        mismatches.push(...compareWithSource(ids[index]!, await readBack(client, ids[index]!), legacy));
      if (mismatches.length > 0) throw new LegacyImportVerificationError(mismatches);
      await client.query('COMMIT');
      return { ...plan, written: expected };
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  } catch (error) {
    if (error instanceof CoachwireError) throw error;
    throw handle.toError('write', error);
  } finally {
    client.release();
  }
}

async function classify(client: Client, plans: readonly LegacyPlan[]): Promise<LegacyImportPlan> {
  const imported = await client.query<{ coach: string; date: string; created: string; author: string }>(
    `SELECT coach, trading_date AS date, created_at AS created, author_name AS author
     FROM plans WHERE author_id IS NULL`,
  );
  const importedKeys = new Set(
    imported.rows.map((row) => JSON.stringify([row.coach, row.date, row.created, row.author])),
  );
  const live = await client.query<{ id: number; coach: string; trading_date: string }>(
    'SELECT id, coach, trading_date FROM plans WHERE deleted_at IS NULL',
  );
  const liveIds = new Map(live.rows.map((row) => [`${row.coach}/${row.trading_date}`, row.id]));
  return classifyLegacyPlans(plans, {
    importedBefore: (plan) =>
      importedKeys.has(JSON.stringify([plan.coach, plan.tradingDate, plan.createdAt, plan.authorName])),
    livePlanId: (coach, tradingDate) => liveIds.get(`${coach}/${tradingDate}`),
  });
}

async function insertLegacyPlan(client: Client, legacy: LegacyPlan): Promise<number> {
  const { rows } = await client.query<{ id: number }>(
    `INSERT INTO plans (coach, trading_date, text, author_id, author_name, channel_name, created_at, edited_at,
       deleted_at, deleted_by_name)
     VALUES ($1, $2, $3, NULL, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [
      legacy.coach,
      legacy.tradingDate,
      legacy.text,
      legacy.authorName,
      legacy.channelName,
      legacy.createdAt,
      legacy.editedAt,
      legacy.deletedAt,
      legacy.deletedAt === null ? null : 'legacy import',
    ],
  );
  const id = rows[0]!.id;
  for (const [position, chart] of legacy.charts.entries())
    await client.query('INSERT INTO charts (plan_id, position, url, filename) VALUES ($1, $2, $3, $4)', [
      id,
      position,
      chart.url,
      chart.filename,
    ]);
  for (const revision of legacy.revisions)
    await client.query(
      `INSERT INTO plan_revisions (plan_id, previous_text, editor_id, editor_name, edited_at)
       VALUES ($1, $2, NULL, $3, $4)`,
      [id, revision.previousText, revision.editorName, revision.editedAt],
    );
  // Live imports announce themselves so the API's event subscribers refresh; deleted ones were never visible.
  if (legacy.deletedAt === null) {
    const stored = await readBack(client, id);
    await appendEventsPg(client, [
      {
        type: 'plan.created',
        planId: id,
        payload: planEventPayload(toPlan(stored.row!, stored.charts)),
        occurredAt: new Date().toISOString(),
      },
    ]);
  }
  return id;
}

async function readBack(client: Client, id: number) {
  const db = drizzle(client);
  const [row] = await db.select().from(plans).where(eq(plans.id, id));
  const chartRows = await db.select().from(charts).where(eq(charts.planId, id)).orderBy(asc(charts.position));
  const revisions = await db
    .select()
    .from(planRevisions)
    .where(eq(planRevisions.planId, id))
    .orderBy(asc(planRevisions.id));
  return { row, charts: chartRows, revisions } satisfies StoredImport;
}

async function tableCounts(client: Client): Promise<LegacyImportCounts> {
  const { rows } = await client.query<LegacyImportCounts>(
    `SELECT (SELECT count(*)::int FROM plans) AS plans, (SELECT count(*)::int FROM charts) AS charts,
            (SELECT count(*)::int FROM plan_revisions) AS revisions,
            (SELECT count(*)::int FROM events WHERE domain = 'plan') AS events`,
  );
  return rows[0]!;
}
