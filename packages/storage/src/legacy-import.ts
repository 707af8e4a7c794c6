import {
  CoachwireError,
  ConflictError,
  isWellFormedText,
  planEventPayload,
  ValidationError,
} from '@coachwire/core';
import Database from 'better-sqlite3';
import type { CoachwireDatabase } from './database.js';
import { type ChartRow, type PlanRow, toPlan } from './plan-rows.js';
import { toCoachwireError } from './storage-errors.js';

// Moving data in from the Python system Coachwire replaces. Reading its SQLite file and writing the
// imported rows both need SQL, so both live here; deciding what a legacy row means lives in the CLI.

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
    return classify(handle, plans);
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
    const plan = classify(handle, plans);
    if (plan.conflicts.length > 0 && !options.skipConflicts) {
      const lines = plan.conflicts.map((conflict) => `${conflict.plan.source}: ${conflict.reason}`);
      throw new ConflictError(`Nothing was imported; these plans conflict:\n  ${lines.join('\n  ')}`);
    }
    const before = tableCounts(handle);
    const ids = plan.toInsert.map((legacy) => insertLegacyPlan(handle, legacy));
    const expected: LegacyImportCounts = {
      plans: plan.toInsert.length,
      charts: sum(plan.toInsert, (legacy) => legacy.charts.length),
      revisions: sum(plan.toInsert, (legacy) => legacy.revisions.length),
      events: plan.toInsert.filter((legacy) => legacy.deletedAt === null).length,
    };
    const after = tableCounts(handle);
    const mismatches: string[] = [];
    for (const table of Object.keys(expected) as (keyof LegacyImportCounts)[]) {
      const written = after[table] - before[table];
      if (written !== expected[table])
        mismatches.push(`${table}: expected ${expected[table]} new rows, found ${written}`);
    }
    plan.toInsert.forEach((legacy, index) => {
      mismatches.push(...compareWithSource(handle, ids[index]!, legacy));
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

function classify(handle: CoachwireDatabase, plans: readonly LegacyPlan[]): LegacyImportPlan {
  const existing = handle.sqlite.prepare(
    `SELECT 1 FROM plans WHERE coach = ? AND trading_date = ? AND created_at = ? AND author_name = ?
       AND author_id IS NULL LIMIT 1`,
  );
  const live = handle.sqlite.prepare(
    'SELECT id FROM plans WHERE coach = ? AND trading_date = ? AND deleted_at IS NULL',
  );
  const toInsert: LegacyPlan[] = [];
  const alreadyImported: LegacyPlan[] = [];
  const conflicts: { plan: LegacyPlan; reason: string }[] = [];
  const liveInSource = new Map<string, LegacyPlan>();
  for (const plan of plans) {
    if (existing.get(plan.coach, plan.tradingDate, plan.createdAt, plan.authorName)) {
      alreadyImported.push(plan);
      continue;
    }
    if (plan.deletedAt === null) {
      const key = `${plan.coach}/${plan.tradingDate}`;
      const target = live.get(plan.coach, plan.tradingDate) as { id: number } | undefined;
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
  return { toInsert, alreadyImported, conflicts };
}

function insertLegacyPlan(handle: CoachwireDatabase, legacy: LegacyPlan): number {
  const { sqlite } = handle;
  const row = sqlite
    .prepare(
      `INSERT INTO plans (coach, trading_date, text, author_id, author_name, channel_name, created_at,
         edited_at, deleted_at, deleted_by_name)
       VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?, ?) RETURNING id`,
    )
    .get(
      legacy.coach,
      legacy.tradingDate,
      legacy.text,
      legacy.authorName,
      legacy.channelName,
      legacy.createdAt,
      legacy.editedAt,
      legacy.deletedAt,
      legacy.deletedAt === null ? null : 'legacy import',
    ) as { id: number };
  const chart = sqlite.prepare('INSERT INTO charts (plan_id, position, url, filename) VALUES (?, ?, ?, ?)');
  legacy.charts.forEach((item, position) => {
    chart.run(row.id, position, item.url, item.filename);
  });
  const revision = sqlite.prepare(
    'INSERT INTO plan_revisions (plan_id, previous_text, editor_id, editor_name, edited_at) VALUES (?, ?, NULL, ?, ?)',
  );
  for (const item of legacy.revisions)
    revision.run(row.id, item.previousText, item.editorName, item.editedAt);
  // Live imports announce themselves so the API's event subscribers refresh; deleted ones were never visible.
  if (legacy.deletedAt === null) {
    const stored = toPlan(readPlan(handle, row.id)!, readCharts(handle, row.id));
    sqlite
      .prepare('INSERT INTO plan_events (type, plan_id, payload, occurred_at) VALUES (?, ?, ?, ?)')
      .run('plan.created', row.id, JSON.stringify(planEventPayload(stored)), new Date().toISOString());
  }
  return row.id;
}

function compareWithSource(handle: CoachwireDatabase, id: number, legacy: LegacyPlan): string[] {
  const row = readPlan(handle, id);
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
  const charts = readCharts(handle, id);
  expect('number of charts', charts.length, legacy.charts.length);
  legacy.charts.forEach((chart, index) => {
    expect(`chart ${index + 1} url`, charts[index]?.url, chart.url);
    expect(`chart ${index + 1} filename`, charts[index]?.filename, chart.filename);
  });
  const revisions = handle.sqlite
    .prepare('SELECT previous_text, editor_name, edited_at FROM plan_revisions WHERE plan_id = ? ORDER BY id')
    .all(id) as { previous_text: string; editor_name: string; edited_at: string }[];
  expect('number of revisions', revisions.length, legacy.revisions.length);
  legacy.revisions.forEach((revision, index) => {
    expect(`revision ${index + 1} text`, revisions[index]?.previous_text, revision.previousText);
    expect(`revision ${index + 1} editor`, revisions[index]?.editor_name, revision.editorName);
    expect(`revision ${index + 1} time`, revisions[index]?.edited_at, revision.editedAt);
  });
  return differences;
}

function readPlan(handle: CoachwireDatabase, id: number): PlanRow | undefined {
  return handle.sqlite
    .prepare(
      `SELECT id, coach, trading_date AS tradingDate, text, author_id AS authorId, author_name AS authorName,
         guild_id AS guildId, channel_id AS channelId, channel_name AS channelName,
         source_message_id AS sourceMessageId, created_at AS createdAt, edited_at AS editedAt,
         deleted_at AS deletedAt, deleted_by_id AS deletedById, deleted_by_name AS deletedByName
       FROM plans WHERE id = ?`,
    )
    .get(id) as PlanRow | undefined;
}

function readCharts(handle: CoachwireDatabase, planId: number): ChartRow[] {
  return handle.sqlite
    .prepare(
      `SELECT id, plan_id AS planId, position, url, filename, content_type AS contentType, size, width, height,
         discord_attachment_id AS discordAttachmentId, sha256, archive_status AS archiveStatus,
         archive_attempts AS archiveAttempts, archive_error AS archiveError, archived_at AS archivedAt
       FROM charts WHERE plan_id = ? ORDER BY position`,
    )
    .all(planId) as ChartRow[];
}

function tableCounts(handle: CoachwireDatabase): LegacyImportCounts {
  const count = (table: string) =>
    (handle.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return {
    plans: count('plans'),
    charts: count('charts'),
    revisions: count('plan_revisions'),
    events: count('plan_events'),
  };
}

function sum<T>(items: readonly T[], of: (item: T) => number): number {
  return items.reduce((total, item) => total + of(item), 0);
}
