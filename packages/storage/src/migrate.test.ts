import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from './database.js';
import { integrityCheck } from './maintenance.js';
import { committedMigrations, MIGRATIONS_FOLDER, migrateDatabase, sqliteMigrationState } from './migrate.js';
import { SqlitePlanRepository } from './plans/sqlite-plan-repository.js';
import { openSqliteStore } from './sqlite-store.js';
import { SchemaTooNewError } from './storage-errors.js';
import { StoreOpenError } from './store.js';
import { planDraft, tempDir } from './test-support/temp-database.js';

let dir: string;
let remove: () => void;
beforeEach(() => {
  ({ dir, remove } = tempDir());
});
afterEach(() => remove());

function tableNames(handle: ReturnType<typeof openDatabase>): string[] {
  return (
    handle.sqlite.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as {
      name: string;
    }[]
  ).map((row) => row.name);
}

describe('migrateDatabase', () => {
  it('finds the committed drizzle migrations next to src/ and dist/', () => {
    expect(MIGRATIONS_FOLDER).toBe(fileURLToPath(new URL('../drizzle', import.meta.url)));
    expect(existsSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'))).toBe(true);
  });

  it('creates every table and the partial unique index on an empty file', async () => {
    const handle = openDatabase({ path: join(dir, 'fresh.sqlite') });
    const result = await migrateDatabase(handle);
    expect(result.applied).toBeGreaterThan(0);
    expect(result.total).toBe(result.applied);
    expect(tableNames(handle)).toEqual(
      expect.arrayContaining(['bot_status', 'charts', 'events', 'plan_revisions', 'plans']),
    );
    const index = handle.sqlite
      .prepare("SELECT sql FROM sqlite_schema WHERE name = 'plans_live_coach_date_unique'")
      .get() as { sql: string };
    expect(index.sql).toMatch(/UNIQUE INDEX .* WHERE deleted_at is null/i);
    handle.close();
  });

  it('does nothing on an already-migrated file and keeps its data', async () => {
    const path = join(dir, 'again.sqlite');
    const first = openDatabase({ path });
    const initial = await migrateDatabase(first);
    const plan = await new SqlitePlanRepository(first).insert(planDraft());
    first.close();

    const second = openDatabase({ path });
    expect(await migrateDatabase(second)).toEqual({ applied: 0, total: initial.total });
    expect(await new SqlitePlanRepository(second).getById(plan.id)).toEqual(plan);
    second.close();
  });

  it('tells, without changing anything, how many migrations a file has: none when never migrated, all after', async () => {
    const handle = openDatabase({ path: join(dir, 'state.sqlite') });
    const before = sqliteMigrationState(handle);
    expect(before.applied).toBe(0);
    expect(before.total).toBeGreaterThan(0);
    expect(tableNames(handle)).toEqual([]);
    const { total } = await migrateDatabase(handle);
    expect(sqliteMigrationState(handle)).toEqual({ applied: total, total: before.total });
    handle.close();
  });

  it('refuses a file a newer release migrated, leaving it as it was', async () => {
    const path = join(dir, 'newer.sqlite');
    const handle = openDatabase({ path });
    const { total } = await migrateDatabase(handle);
    // What a newer release leaves: a migration recorded after every one this release has.
    const { newest } = committedMigrations(MIGRATIONS_FOLDER);
    handle.sqlite
      .prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)')
      .run('a-newer-release', newest + 1);

    const failure = await migrateDatabase(handle).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SchemaTooNewError);
    expect((failure as Error).message).toBe(
      `The database at ${handle.path} was migrated by a newer Coachwire release: 1 of its migrations is unknown to this one, which leaves it unchanged.`,
    );
    expect(() => sqliteMigrationState(handle)).toThrow(SchemaTooNewError);
    const rows = handle.sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as {
      n: number;
    };
    expect(rows.n).toBe(total + 1);
    handle.close();

    // Opening a store says which stage refused it, so the apps can name the way back.
    const opened = await openSqliteStore({ path }).catch((error: unknown) => error);
    expect(opened).toBeInstanceOf(StoreOpenError);
    expect((opened as StoreOpenError).stage).toBe('schema');
  });

  it('lets two processes migrate one file at the same moment and write without losing a row', async () => {
    const path = join(dir, 'shared.sqlite');
    const script = fileURLToPath(new URL('./test-support/concurrent-writer.ts', import.meta.url));
    const perProcess = 200;
    const children = ['p', 'q'].map((coach) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', '--conditions=@coachwire/source', script, path, coach, String(perProcess)],
        { stdio: ['pipe', 'pipe', 'pipe'] },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
      });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
      });
      const ready = new Promise<void>((resolve) => {
        child.stdout.on('data', () => {
          if (stdout.startsWith('ready\n')) resolve();
        });
      });
      const exit = once(child, 'exit').then(([code]) => ({ code, stdout, stderr }));
      return { child, ready, exit };
    });

    await Promise.all(children.map((entry) => entry.ready));
    for (const { child } of children) child.stdin.end('go\n');
    const results = await Promise.all(children.map((entry) => entry.exit));

    for (const result of results) expect(result, result.stderr).toMatchObject({ code: 0 });
    const reports = results.map(
      (result) => JSON.parse(result.stdout.split('\n')[1]!) as { applied: number; ids: number[] },
    );
    // Exactly one of the two applied the migrations; the other found them done.
    expect(
      reports.map((report) => report.applied > 0).sort(),
      JSON.stringify(results.map((r) => r.stderr)),
    ).toEqual([false, true]);
    const allIds = reports.flatMap((report) => report.ids);
    expect(new Set(allIds).size).toBe(2 * perProcess);

    const handle = openDatabase({ path });
    const report = integrityCheck(handle);
    expect(report).toMatchObject({
      ok: true,
      counts: { plans: 2 * perProcess, charts: 2 * perProcess, events: 2 * perProcess },
    });
    const repository = new SqlitePlanRepository(handle);
    expect((await repository.list({ coach: 'p', limit: 1000 })).length).toBe(perProcess);
    expect((await repository.list({ coach: 'q', limit: 1000 })).length).toBe(perProcess);
    handle.close();
  });
});
