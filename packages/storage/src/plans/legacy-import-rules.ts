import { CoachwireError, ConflictError, isStorableText, ValidationError } from '@coachwire/core';
import type { ChartRow, PlanRow } from './plan-rows.js';

// What a legacy import decides and verifies, the same on every backend: which source plans are new, already
// imported or conflicting; what it should write; and whether what it wrote equals the source. The SQL that
// looks rows up and writes them is per backend (legacy-import.ts for SQLite, pg-legacy-import.ts).

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

// The caller reports such rows; this is the last gate before bytes that are not UTF-8 reach the file.
export function assertWellFormedLegacyText(plans: readonly LegacyPlan[]): void {
  const malformed = plans.filter((plan) => {
    const texts = [
      plan.text,
      plan.authorName,
      plan.channelName ?? '',
      ...plan.charts.flatMap((c) => [c.url, c.filename]),
    ];
    texts.push(...plan.revisions.flatMap((revision) => [revision.previousText, revision.editorName]));
    return !texts.every(isStorableText);
  });
  if (malformed.length === 0) return;
  throw new ValidationError(
    `Nothing was imported; these plans hold text that is not valid Unicode (an unpaired surrogate) or a NUL character (U+0000), which cannot be stored: ${malformed
      .map((plan) => plan.source)
      .join(', ')}.`,
    'source',
  );
}

/** The lookups classification needs on the target database, answered by each backend. */
export interface LegacyImportLookups {
  /** A row with this coach, date, creation time and author name and no author id exists (deleted or not). */
  importedBefore(plan: LegacyPlan): boolean;
  /** The id of the live plan of (coach, date), if any. */
  livePlanId(coach: string, tradingDate: string): number | undefined;
}

/**
 * Sorts plans into new, already imported, and conflicting. A plan counts as already imported when a row
 * with the same coach, date, creation time and author name and no author id exists (deleted or not), so
 * importing a source twice writes nothing the second time without any extra column.
 */
export function classifyLegacyPlans(
  plans: readonly LegacyPlan[],
  lookups: LegacyImportLookups,
): LegacyImportPlan {
  const toInsert: LegacyPlan[] = [];
  const alreadyImported: LegacyPlan[] = [];
  const conflicts: { plan: LegacyPlan; reason: string }[] = [];
  const liveInSource = new Map<string, LegacyPlan>();
  for (const plan of plans) {
    const { coach, tradingDate } = plan;
    if (lookups.importedBefore(plan)) {
      alreadyImported.push(plan);
      continue;
    }
    if (plan.deletedAt === null) {
      const key = `${coach}/${tradingDate}`;
      const target = lookups.livePlanId(coach, tradingDate);
      const twin = liveInSource.get(key);
      if (target !== undefined) {
        conflicts.push({ plan, reason: `plan ${target} is already the live plan of ${key}` });
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
  return { toInsert, alreadyImported, conflicts };
}

/** Refuses to write anything when some plans conflict, unless the caller asked to skip them. */
export function assertNoConflicts(plan: LegacyImportPlan, skipConflicts: boolean | undefined): void {
  if (plan.conflicts.length === 0 || skipConflicts) return;
  const lines = plan.conflicts.map((conflict) => `${conflict.plan.source}: ${conflict.reason}`);
  throw new ConflictError(`Nothing was imported; these plans conflict:\n  ${lines.join('\n  ')}`);
}

/** The rows writing `toInsert` must add: a `plan.created` event per live plan (deleted ones were never seen). */
export function expectedImportCounts(toInsert: readonly LegacyPlan[]): LegacyImportCounts {
  return {
    plans: toInsert.length,
    charts: sum(toInsert, (legacy) => legacy.charts.length),
    revisions: sum(toInsert, (legacy) => legacy.revisions.length),
    events: toInsert.filter((legacy) => legacy.deletedAt === null).length,
  };
}

/** Differences between the rows each table gained and what the import meant to write. */
export function countMismatches(
  before: LegacyImportCounts,
  after: LegacyImportCounts,
  expected: LegacyImportCounts,
): string[] {
  const mismatches: string[] = [];
  for (const table of Object.keys(expected) as (keyof LegacyImportCounts)[]) {
    const written = after[table] - before[table];
    if (written !== expected[table])
      mismatches.push(`${table}: expected ${expected[table]} new rows, found ${written}`);
  }
  return mismatches;
}

/** An imported plan as read back after the write. */
export interface StoredImport {
  readonly row: PlanRow | undefined;
  readonly charts: readonly Pick<ChartRow, 'url' | 'filename'>[];
  /** In write order (by id). */
  readonly revisions: readonly { previousText: string; editorName: string; editedAt: string }[];
}

/** What differs between plan `id` as stored and its source row (empty when they are equal). */
export function compareWithSource(id: number, stored: StoredImport, legacy: LegacyPlan): string[] {
  const { row } = stored;
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
  const { charts, revisions } = stored;
  expect('number of charts', charts.length, legacy.charts.length);
  legacy.charts.forEach((chart, index) => {
    expect(`chart ${index + 1} url`, charts[index]?.url, chart.url);
    expect(`chart ${index + 1} filename`, charts[index]?.filename, chart.filename);
  });
  expect('number of revisions', revisions.length, legacy.revisions.length);
  legacy.revisions.forEach((revision, index) => {
    expect(`revision ${index + 1} text`, revisions[index]?.previousText, revision.previousText);
    expect(`revision ${index + 1} editor`, revisions[index]?.editorName, revision.editorName);
    expect(`revision ${index + 1} time`, revisions[index]?.editedAt, revision.editedAt);
  });
  return differences;
}

function sum<T>(items: readonly T[], of: (item: T) => number): number {
  return items.reduce((total, item) => total + of(item), 0);
}
