import {
  CoachwireError,
  ConflictError,
  isWellFormedText,
  planEventPayload,
  ValidationError,
} from '@coachwire/core';
import Database from 'better-sqlite3';
import type { CoachwireDatabase } from '../database.js';
import { toCoachwireError } from '../storage-errors.js';
import { type LegacyImportStatements, prepareLegacyImportStatements } from './legacy-import-statements.js';
import { toPlan } from './plan-rows.js';
import { type PlanStatements, preparePlanStatements } from './plan-statements.js';

// Moving data in from the Python system Coachwire replaces. Reading its SQLite file and writing the
// imported rows both need SQL, so both live here; deciding what a legacy row means lives in the CLI.
// The old file has its own schema, which drizzle's does not describe, so it is read with plain SQL; our own
// tables are written with prepared drizzle statements, as the repositories write them.

/** Both statement sets an import uses on Coachwire's database. */
interface ImportStatements {
  readonly plan: PlanStatements;
  readonly legacy: LegacyImportStatements;
}

function prepareImportStatements(handle: CoachwireDatabase): ImportStatements {
  return { plan: preparePlanStatements(handle), legacy: prepareLegacyImportStatements(handle) };
}

/** The tables of the old system's SQLite file, row by row, exactly as stored (types unchecked). */
export interface LegacySqliteRows {
  readonly plans: readonly Record<string, unknown>[];
  readonly charts: readonly Record<string, unknown>[];
  readonly history: readonly Record<string, unknown>[];
  /** Highest `schema_version.version`, or null when the table is absent or empty. */
  readonly schemaVersion: number | null;
}

/** A plan of the old system, validated and normalised by the caller, ready to be written. */
export interface LegacyPlan {
  /** Where it came from, for reports: `coach_plans id 12`, `key coach_d_2024-01-15`. */
  readonly source: string;
  readonly coach: string;
  readonly tradingDate: string;
  readonly text: string;
  /** The old system kept names only: imported plans have no author id (only admins may edit them). */
  readonly authorName: string;
  readonly channelName: string | null;
  readonly createdAt: string;
  readonly editedAt: string | null;
  readonly deletedAt: string | null;
  readonly charts: readonly { readonly url: string; readonly filename: string }[];
  /** Earlier texts, oldest first. */
  readonly revisions: readonly {
    readonly previousText: string;
    readonly editorName: string;
    readonly editedAt: string;
  }[];
}

/** What an import would do: new plans, plans a previous import already wrote, and plans that cannot go in. */
export interface LegacyImportPlan {
  readonly toInsert: readonly LegacyPlan[];
  readonly alreadyImported: readonly LegacyPlan[];
  readonly conflicts: readonly { readonly plan: LegacyPlan; readonly reason: string }[];
}

/** Rows written per table. */
export interface LegacyImportCounts {
  readonly plans: number;
  readonly charts: number;
  readonly revisions: number;
  readonly events: number;
}

export interface LegacyImportResult extends LegacyImportPlan {
  readonly written: LegacyImportCounts;
}

/** The import wrote something other than its source; it was rolled back. `mismatches` says what differed. */
export class LegacyImportVerificationError extends CoachwireError {
  readonly mismatches: readonly string[];
  constructor(mismatches: readonly string[]) {
    super(
      'STORAGE_UNAVAILABLE',
      `The import was rolled back: after writing, ${mismatches.length} check(s) did not match the source.`,
      { details: { mismatches } },
    );
    this.mismatches = mismatches;
  }
}

/** Reads every row of the old system's SQLite file (read-only); VALIDATION when it is not such a file. */
export function readLegacySqlite(path: string): LegacySqliteRows {
  let legacy: Database.Database;
  try {
    legacy = new Database(path, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new ValidationError(`Cannot open ${path} as a SQLite file: ${(error as Error).message}`, 'source');
  }
  try {
    const tables = new Set(
      (legacy.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as { name: string }[]).map(
        (row) => row.name,
      ),
    );
    if (!tables.has('coach_plans')) {
      throw new ValidationError(
        `${path} has no coach_plans table: it is not the old system's database.`,
        'source',
      );
    }
    const all = (table: string, order: string) =>
      tables.has(table)
        ? (legacy.prepare(`SELECT * FROM ${table} ORDER BY ${order}`).all() as Record<string, unknown>[])
        : [];
    const version = tables.has('schema_version')
      ? (legacy.prepare('SELECT max(version) AS v FROM schema_version').get() as { v: number | null }).v
      : null;
    return {
      plans: all('coach_plans', 'id'),
      charts: all('plan_charts', 'plan_id, added_at, id'),
      history: all('plan_history', 'plan_id, edited_at, id'),
      schemaVersion: version,
    };
  } catch (error) {
    if (error instanceof CoachwireError) throw error;
    throw new ValidationError(`Cannot read ${path}: ${(error as Error).message}`, 'source');
  } finally {
    legacy.close();
  }
}

/**
 * Sorts plans into new, already imported, and conflicting. A plan counts as already imported when a row
 * with the same coach, date, creation time and author name and no author id exists (deleted or not), so
 * importing a source twice writes nothing the second time without any extra column.
 */
export function planLegacyImport(handle: CoachwireDatabase, plans: readonly LegacyPlan[]): LegacyImportPlan {
  try {
    return classify(prepareImportStatements(handle), plans);
  } catch (error) {
    throw toCoachwireError(handle.path, 'read', error);
  }
}

/**
 * Writes the new plans (charts, revisions, soft deletes, a `plan.created` event per live plan) in one
 * transaction, then reads everything back and compares it with the source; any difference rolls the whole
 * import back with LegacyImportVerificationError. Conflicts reject with CONFLICT before anything is written
 * unless `skipConflicts`.
 */
export function importLegacyPlans(
  handle: CoachwireDatabase,
  plans: readonly LegacyPlan[],
  options: { readonly skipConflicts?: boolean } = {},
): LegacyImportResult {
  assertWellFormedLegacyText(plans);
  const run = handle.sqlite.transaction((): LegacyImportResult => {
    const statements = prepareImportStatements(handle);
    const plan = classify(statements, plans);
    if (plan.conflicts.length > 0 && !options.skipConflicts) {
      const lines = plan.conflicts.map((conflict) => `${conflict.plan.source}: ${conflict.reason}`);
      throw new ConflictError(`Nothing was imported; these plans conflict:\n  ${lines.join('\n  ')}`);
    }
    const before = tableCounts(statements);
    const ids = plan.toInsert.map((legacy) => insertLegacyPlan(statements, legacy));
    const expected: LegacyImportCounts = {
      plans: plan.toInsert.length,
      charts: sum(plan.toInsert, (legacy) => legacy.charts.length),
      revisions: sum(plan.toInsert, (legacy) => legacy.revisions.length),
      events: plan.toInsert.filter((legacy) => legacy.deletedAt === null).length,
    };
    const after = tableCounts(statements);
    const mismatches: string[] = [];
    for (const table of Object.keys(expected) as (keyof LegacyImportCounts)[]) {
      const written = after[table] - before[table];
      if (written !== expected[table])
        mismatches.push(`${table}: expected ${expected[table]} new rows, found ${written}`);
    }
    plan.toInsert.forEach((legacy, index) => {
      mismatches.push(...compareWithSource(statements, ids[index]!, legacy));
    });
    if (mismatches.length > 0) throw new LegacyImportVerificationError(mismatches);
    return { ...plan, written: expected };
  });
  try {
    return run.immediate();
  } catch (error) {
    if (error instanceof CoachwireError) throw error;
    throw toCoachwireError(handle.path, 'write', error);
  }
}

// The caller reports such rows; this is the last gate before bytes that are not UTF-8 reach the file.
function assertWellFormedLegacyText(plans: readonly LegacyPlan[]): void {
  const malformed = plans.filter((plan) => {
    const texts = [
      plan.text,
      plan.authorName,
      plan.channelName ?? '',
      ...plan.charts.flatMap((c) => [c.url, c.filename]),
    ];
    texts.push(...plan.revisions.flatMap((revision) => [revision.previousText, revision.editorName]));
    return !texts.every(isWellFormedText);
  });
  if (malformed.length === 0) return;
  throw new ValidationError(
    `Nothing was imported; these plans hold text that is not valid Unicode (an unpaired surrogate): ${malformed
      .map((plan) => plan.source)
      .join(', ')}.`,
    'source',
  );
}

function classify(
  { plan: planStatements, legacy: statements }: ImportStatements,
  plans: readonly LegacyPlan[],
) {
  const toInsert: LegacyPlan[] = [];
  const alreadyImported: LegacyPlan[] = [];
  const conflicts: { plan: LegacyPlan; reason: string }[] = [];
  const liveInSource = new Map<string, LegacyPlan>();
  for (const plan of plans) {
    const { coach, tradingDate, createdAt, authorName } = plan;
    if (statements.importedBefore.get({ coach, tradingDate, createdAt, authorName })) {
      alreadyImported.push(plan);
      continue;
    }
    if (plan.deletedAt === null) {
      const key = `${coach}/${tradingDate}`;
      const target = planStatements.livePlan.get({ coach, tradingDate });
      const twin = liveInSource.get(key);
      if (target) {
        conflicts.push({ plan, reason: `plan ${target.id} is already the live plan of ${key}` });
        continue;
      }
      if (twin) {
        conflicts.push({ plan, reason: `${twin.source} is also a live plan of ${key}` });
        continue;
      }
      liveInSource.set(key, plan);
    }
    toInsert.push(plan);
  }
  return { toInsert, alreadyImported, conflicts } satisfies LegacyImportPlan;
}

function insertLegacyPlan(
  { plan: planStatements, legacy: statements }: ImportStatements,
  legacy: LegacyPlan,
) {
  const row = statements.insertImportedPlan.get({
    coach: legacy.coach,
    tradingDate: legacy.tradingDate,
    text: legacy.text,
    authorName: legacy.authorName,
    channelName: legacy.channelName,
    createdAt: legacy.createdAt,
    editedAt: legacy.editedAt,
    deletedAt: legacy.deletedAt,
    deletedByName: legacy.deletedAt === null ? null : 'legacy import',
  })!;
  legacy.charts.forEach((item, position) => {
    planStatements.insertChart.run({
      planId: row.id,
      position,
      url: item.url,
      filename: item.filename,
      contentType: null,
      size: null,
      width: null,
      height: null,
      discordAttachmentId: null,
    });
  });
  for (const item of legacy.revisions)
    planStatements.insertRevision.run({
      planId: row.id,
      previousText: item.previousText,
      editorId: null,
      editorName: item.editorName,
      editedAt: item.editedAt,
    });
  // Live imports announce themselves so the API's event subscribers refresh; deleted ones were never visible.
  if (legacy.deletedAt === null) {
    const stored = toPlan(
      planStatements.planById.get({ id: row.id })!,
      planStatements.chartsOfPlan.all({ planId: row.id }),
    );
    planStatements.insertEvent.run({
      type: 'plan.created',
      planId: row.id,
      payload: JSON.stringify(planEventPayload(stored)),
      occurredAt: new Date().toISOString(),
    });
  }
  return row.id;
}

function compareWithSource(statements: ImportStatements, id: number, legacy: LegacyPlan): string[] {
  const row = statements.plan.planById.get({ id });
  if (!row) return [`${legacy.source}: plan ${id} is missing after the write`];
  const differences: string[] = [];
  const expect = (what: string, stored: unknown, source: unknown) => {
    if (stored !== source) differences.push(`${legacy.source}: ${what} differs from the source`);
  };
  expect('coach', row.coach, legacy.coach);
  expect('date', row.tradingDate, legacy.tradingDate);
  expect('text', row.text, legacy.text);
  expect('author id', row.authorId, null);
  expect('author', row.authorName, legacy.authorName);
  expect('channel', row.channelName, legacy.channelName);
  expect('creation time', row.createdAt, legacy.createdAt);
  expect('edit time', row.editedAt, legacy.editedAt);
  expect('deletion', row.deletedAt, legacy.deletedAt);
  const charts = statements.plan.chartsOfPlan.all({ planId: id });
  expect('number of charts', charts.length, legacy.charts.length);
  legacy.charts.forEach((chart, index) => {
    expect(`chart ${index + 1} url`, charts[index]?.url, chart.url);
    expect(`chart ${index + 1} filename`, charts[index]?.filename, chart.filename);
  });
  const revisions = statements.legacy.revisionsInWriteOrder.all({ planId: id });
  expect('number of revisions', revisions.length, legacy.revisions.length);
  legacy.revisions.forEach((revision, index) => {
    expect(`revision ${index + 1} text`, revisions[index]?.previousText, revision.previousText);
    expect(`revision ${index + 1} editor`, revisions[index]?.editorName, revision.editorName);
    expect(`revision ${index + 1} time`, revisions[index]?.editedAt, revision.editedAt);
  });
  return differences;
}

function tableCounts({ legacy: statements }: ImportStatements): LegacyImportCounts {
  const n = (statement: { get(): { n: number } | undefined }) => statement.get()?.n ?? 0;
  return {
    plans: n(statements.countPlans),
    charts: n(statements.countCharts),
    revisions: n(statements.countRevisions),
    events: n(statements.countEvents),
  };
}

function sum<T>(items: readonly T[], of: (item: T) => number): number {
  return items.reduce((total, item) => total + of(item), 0);
}
