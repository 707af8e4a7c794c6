import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CoachwireDatabase } from '../database.js';
import { migratedTempDatabase } from '../test-support/temp-database.js';
import {
  importLegacyPlans,
  LegacyImportVerificationError,
  type LegacyPlan,
  planLegacyImport,
  readLegacySqlite,
} from './legacy-import.js';
import { SqlitePlanRepository } from './sqlite-plan-repository.js';

function legacyPlan(overrides: Partial<LegacyPlan> = {}): LegacyPlan {
  return {
    source: 'coach_plans id 1',
    coach: 'd',
    tradingDate: '2024-01-15',
    text: 'SPY bullish above 470 — 🚀 ñ 日本',
    authorName: 'OldCoach',
    channelName: 'coach-d',
    createdAt: '2024-01-15T13:30:00.000Z',
    editedAt: null,
    deletedAt: null,
    charts: [],
    revisions: [],
    ...overrides,
  };
}

describe('legacy import', () => {
  let target: Awaited<ReturnType<typeof migratedTempDatabase>>;
  let handle: CoachwireDatabase;

  beforeEach(async () => {
    target = await migratedTempDatabase();
    handle = target.handle;
  });
  afterEach(() => target.dispose());

  it('reads every table of the old SQLite file', () => {
    const path = join(target.dir, 'old.db');
    const old = new Database(path);
    old.exec(`CREATE TABLE coach_plans (id INTEGER PRIMARY KEY, coach_name TEXT, date TEXT, plan TEXT, author TEXT,
        channel TEXT, created_at TEXT, edited_at TEXT, is_deleted INTEGER DEFAULT 0, UNIQUE(coach_name, date));
      CREATE TABLE plan_charts (id INTEGER PRIMARY KEY, plan_id INTEGER, chart_url TEXT, filename TEXT, added_at TEXT);
      CREATE TABLE plan_history (id INTEGER PRIMARY KEY, plan_id INTEGER, plan_text TEXT, edited_by TEXT, edited_at TEXT);
      CREATE TABLE schema_version (version INTEGER, applied_at TEXT);
      INSERT INTO schema_version VALUES (1, '2024-01-01'), (2, '2024-02-01');
      INSERT INTO coach_plans VALUES (7, 'coach_d', '2024-01-15', 'text', 'Ann', 'c', '2024-01-15 13:30:00', NULL, 0);
      INSERT INTO plan_charts VALUES (1, 7, 'https://cdn.example.invalid/a.png', 'a.png', '2024-01-15 13:30:01');
      INSERT INTO plan_history VALUES (1, 7, 'older', 'Ann', '2024-01-15 14:00:00');`);
    old.close();
    const rows = readLegacySqlite(path);
    expect(rows.schemaVersion).toBe(2);
    expect(rows.plans).toEqual([expect.objectContaining({ id: 7, coach_name: 'coach_d', plan: 'text' })]);
    expect(rows.charts).toEqual([expect.objectContaining({ plan_id: 7, filename: 'a.png' })]);
    expect(rows.history).toEqual([expect.objectContaining({ plan_id: 7, plan_text: 'older' })]);
  });

  it('refuses a SQLite file that is not the old system database', () => {
    const path = join(target.dir, 'other.db');
    new Database(path).exec('CREATE TABLE something (id INTEGER)');
    expect(() => readLegacySqlite(path)).toThrow(/no coach_plans table/);
  });

  it('writes plans with their charts, revisions and deletions, and an event per live plan', async () => {
    const edited = legacyPlan({
      editedAt: '2024-01-15T15:00:00.000Z',
      charts: [
        { url: 'https://cdn.example.invalid/1.png', filename: '1.png' },
        { url: 'https://cdn.example.invalid/2.png', filename: '2.png' },
      ],
      revisions: [
        { previousText: 'first draft', editorName: 'OldCoach', editedAt: '2024-01-15T15:00:00.000Z' },
      ],
    });
    const deleted = legacyPlan({
      source: 'coach_plans id 2',
      coach: 'i',
      deletedAt: '2024-01-15T16:00:00.000Z',
    });
    const result = importLegacyPlans(handle, [edited, deleted]);
    expect(result.written).toEqual({ plans: 2, charts: 2, revisions: 1, events: 1 });

    const repository = new SqlitePlanRepository(handle);
    const live = await repository.getLive('d', '2024-01-15');
    expect(live?.text).toBe(edited.text);
    expect(live?.author).toEqual({ id: null, name: 'OldCoach' });
    expect(live?.charts.map((chart) => chart.url)).toEqual(edited.charts.map((chart) => chart.url));
    expect((await repository.history(live!.id)).map((revision) => revision.previousText)).toEqual([
      'first draft',
    ]);
    expect(await repository.getLive('i', '2024-01-15')).toBeNull();
    const events = await repository.eventsAfter(0, 10);
    expect(events.map((event) => [event.type, event.planId])).toEqual([['plan.created', live!.id]]);
  });

  it('writes nothing when the same plans are imported again', () => {
    const plans = [
      legacyPlan(),
      legacyPlan({ source: 'coach_plans id 2', coach: 's', deletedAt: '2024-01-16T00:00:00.000Z' }),
    ];
    importLegacyPlans(handle, plans);
    const second = importLegacyPlans(handle, plans);
    expect(second.written).toEqual({ plans: 0, charts: 0, revisions: 0, events: 0 });
    expect(second.alreadyImported).toHaveLength(2);
    expect(handle.sqlite.prepare('SELECT count(*) AS n FROM plans').get()).toEqual({ n: 2 });
  });

  it('reports a conflict with an existing live plan and writes nothing unless told to skip it', async () => {
    const repository = new SqlitePlanRepository(handle);
    await repository.insert({
      coach: 'd',
      tradingDate: '2024-01-15',
      text: 'posted by the new bot',
      author: { id: '1', name: 'New' },
      guildId: null,
      channelId: null,
      channelName: null,
      sourceMessageId: null,
      charts: [],
      createdAt: '2024-01-15T12:00:00.000Z',
    });
    const other = legacyPlan({ source: 'coach_plans id 2', coach: 'n' });
    expect(planLegacyImport(handle, [legacyPlan(), other]).conflicts).toHaveLength(1);
    expect(() => importLegacyPlans(handle, [legacyPlan(), other])).toThrow(
      /coach_plans id 1: plan 1 is already/,
    );
    expect(await repository.getLive('n', '2024-01-15')).toBeNull();

    const skipped = importLegacyPlans(handle, [legacyPlan(), other], { skipConflicts: true });
    expect(skipped.written.plans).toBe(1);
    expect((await repository.getLive('n', '2024-01-15'))?.text).toBe(other.text);
  });

  it('rolls everything back when what was stored differs from the source', () => {
    // A trigger that corrupts texts stands in for a storage fault the read-back check must catch.
    handle.sqlite.exec(`CREATE TRIGGER corrupt AFTER INSERT ON plans WHEN NEW.coach = 's'
      BEGIN UPDATE plans SET text = text || '!' WHERE id = NEW.id; END`);
    const plans = [legacyPlan(), legacyPlan({ source: 'coach_plans id 2', coach: 's' })];
    let failure: unknown;
    try {
      importLegacyPlans(handle, plans);
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(LegacyImportVerificationError);
    expect((failure as LegacyImportVerificationError).mismatches).toEqual([
      'coach_plans id 2: text differs from the source',
    ]);
    expect(handle.sqlite.prepare('SELECT count(*) AS n FROM plans').get()).toEqual({ n: 0 });
    expect(handle.sqlite.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 0 });
  });

  it('refuses plans whose text holds an unpaired surrogate and writes nothing', () => {
    const bad = legacyPlan({ source: 'key coach_d_2024-01-15', text: 'a\uD83Db' });
    expect(() => importLegacyPlans(handle, [legacyPlan({ tradingDate: '2024-01-16' }), bad])).toThrow(
      /not valid Unicode.*key coach_d_2024-01-15/,
    );
    expect((handle.sqlite.prepare('SELECT count(*) AS n FROM plans').get() as { n: number }).n).toBe(0);
  });
});
