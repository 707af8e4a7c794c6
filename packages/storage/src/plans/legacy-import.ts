import { CoachwireError, planEventPayload, ValidationError } from '@coachwire/core';
import Database from 'better-sqlite3';
import type { CoachwireDatabase } from '../database.js';
import { driverErrorCode, storageUnavailable, toCoachwireError } from '../storage-errors.js';
import { textNotUtf8 } from '../text-not-utf8.js';
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
} from './legacy-import-rules.js';
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

export {
  type LegacyImportCounts,
  type LegacyImportPlan,
  type LegacyImportResult,
  LegacyImportVerificationError,
  type LegacyPlan,
} from './legacy-import-rules.js';

/**
 * The tables of the old system's SQLite file, row by row, exactly as stored (types unchecked; a BLOB, or
 * text that is not UTF-8, as a Buffer of its bytes).
 */
export interface LegacySqliteRows {
  readonly plans: readonly Record<string, unknown>[];
  readonly charts: readonly Record<string, unknown>[];
  readonly history: readonly Record<string, unknown>[];
  /** Highest `schema_version.version`, or null when the table is absent or empty. */
  readonly schemaVersion: number | null;
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
      tables.has(table) ? rowsAsStored(legacy, table, order) : [];
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
    // Locked by a writer (the old bot still running): the right file, just not readable yet.
    if (/^SQLITE_(BUSY|LOCKED)/.test(driverErrorCode(error) ?? ''))
      throw storageUnavailable(path, 'read', error);
    throw new ValidationError(`Cannot read ${path}: ${(error as Error).message}`, 'source');
  } finally {
    legacy.close();
  }
}

/** Marks the row number in `rowsAsStored`'s query; no column of the old schema has this name. */
const LEGACY_ROWID = '__coachwire_rowid';

/**
 * Every row of a table of the old file. A text value whose bytes are not UTF-8 (Python's sqlite3 could not
 * read it either) is given as those bytes, as a BLOB is, rather than decoded with replacement characters, so
 * the caller reports it instead of storing different text.
 */
function rowsAsStored(legacy: Database.Database, table: string, order: string): Record<string, unknown>[] {
  const rows = legacy
    .prepare(`SELECT rowid AS ${LEGACY_ROWID}, * FROM ${table} ORDER BY ${order}`)
    .all() as Record<string, unknown>[];
  const byRowid = new Map(rows.map((row) => [row[LEGACY_ROWID], row]));
  for (const { name: column } of legacy.pragma(`table_info("${table}")`) as { name: string }[])
    for (const { rowid, bytes } of textNotUtf8(legacy, table, column)) {
      const row = byRowid.get(rowid);
      if (row) row[column] = bytes;
    }
  for (const row of rows) delete row[LEGACY_ROWID];
  return rows;
}

/** Sorts plans into new, already imported, and conflicting (see classifyLegacyPlans) against this file. */
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
    assertNoConflicts(plan, options.skipConflicts);
    const before = tableCounts(statements);
    const ids = plan.toInsert.map((legacy) => insertLegacyPlan(statements, legacy));
    const expected = expectedImportCounts(plan.toInsert);
    const mismatches = countMismatches(before, tableCounts(statements), expected);
    plan.toInsert.forEach((legacy, index) => {
      const id = ids[index]!;
      const stored = {
        row: statements.plan.planById.get({ id }),
        charts: statements.plan.chartsOfPlan.all({ planId: id }),
        revisions: statements.legacy.revisionsInWriteOrder.all({ planId: id }),
      };
      mismatches.push(...compareWithSource(id, stored, legacy));
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

function classify(statements: ImportStatements, plans: readonly LegacyPlan[]): LegacyImportPlan {
  return classifyLegacyPlans(plans, {
    importedBefore: ({ coach, tradingDate, createdAt, authorName }) =>
      statements.legacy.importedBefore.get({ coach, tradingDate, createdAt, authorName }) !== undefined,
    livePlanId: (coach, tradingDate) => statements.plan.livePlan.get({ coach, tradingDate })?.id,
  });
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

function tableCounts({ legacy: statements }: ImportStatements): LegacyImportCounts {
  const n = (statement: { get(): { n: number } | undefined }) => statement.get()?.n ?? 0;
  return {
    plans: n(statements.countPlans),
    charts: n(statements.countCharts),
    revisions: n(statements.countRevisions),
    events: n(statements.countEvents),
  };
}
