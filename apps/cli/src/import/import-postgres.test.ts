import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openPostgres, postgresStoreOver } from '@coachwire/storage';
import { createTestPgDatabase, type TestPgDatabase } from '@coachwire/storage/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CliSandbox, cliSandbox } from '../test-support/cli-run.js';
import { CDN, UNICODE_PLAN, writeLegacySqlite } from '../test-support/legacy-fixtures.js';

let database: TestPgDatabase;
let sandbox: CliSandbox;

beforeEach(async () => {
  database = await createTestPgDatabase();
  // An empty PG_BIN_DIR: no pg_dump, so the import says it takes no backup and goes on.
  sandbox = cliSandbox({ DATABASE_URL: database.url, PG_BIN_DIR: '/nonexistent' });
});
afterEach(async () => {
  await database.drop();
  sandbox.remove();
});

describe('coachwire import into PostgreSQL (DATABASE_URL set)', () => {
  it('imports the old SQLite file with its revisions, deletions, charts and unicode, and only once', async () => {
    const source = join(sandbox.dir, 'coach_plans.db');
    writeLegacySqlite(source);

    const dryRun = await sandbox.run('import', source, '--dry-run');
    expect(dryRun.status, dryRun.stderr).toBe(0);
    expect(dryRun.stdout).toContain('The import would add 4 plan(s) (1 deleted), 3 chart(s), 2 revision(s).');

    const result = await sandbox.run('import', source);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('No backup taken: pg_dump is not installed');
    expect(result.stdout).toContain(
      'Imported 4 plan(s), 3 chart(s), 2 revision(s); wrote 3 plan.created event(s).',
    );
    expect(result.stdout).not.toContain(new URL(database.url).password);

    const handle = await openPostgres({ url: database.url, poolSize: 2 });
    const store = postgresStoreOver(handle);
    try {
      const repository = store.plans;
      const edited = await repository.getLive('d', '2024-01-15');
      expect(edited).toMatchObject({
        text: 'SPY above 472, target 476',
        author: { id: null, name: 'CoachDan' },
        editedAt: '2024-01-15T15:10:00.000Z',
      });
      expect(edited!.charts.map((chart) => chart.url)).toEqual([
        `${CDN}/spy-1.png`,
        `${CDN}/spy%202.png?ex=65a1`,
      ]);
      expect((await repository.history(edited!.id)).map((revision) => revision.previousText)).toEqual([
        'SPY above 471, target 475',
        'SPY above 470',
      ]);
      expect((await repository.list({ limit: 10 })).map((plan) => plan.text)).toContain(UNICODE_PLAN);
      expect(await store.countPlans({ includeDeleted: true })).toBe(4);
      expect(await store.countPlans()).toBe(3);
      expect(await store.eventLog.latestEventId()).toBe(3);
    } finally {
      await store.close();
    }

    const again = await sandbox.run('import', source);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('Nothing to import: all 4 plan(s) were imported before.');
  });

  it('reports a plan whose text holds a NUL character instead of failing as if the server were down', async () => {
    // The old service's JSON dump kept U+0000 ("\u0000"); PostgreSQL's text cannot: the import ended in
    // STORAGE_UNAVAILABLE, with a fix about disks and servers.
    const source = join(sandbox.dir, 'plans.json');
    writeFileSync(
      source,
      `{
        "coach_d_2024-01-10": {"plan": "SPY\\u0000 levels", "author": "Dan", "timestamp": "2024-01-10T13:00:00"},
        "coach_i_2024-01-10": {"plan": "fine", "author": "Ian", "timestamp": "2024-01-10T13:00:00"}
      }`,
    );
    const refused = await sandbox.run('import', source);
    expect(refused.status).not.toBe(0);
    expect(refused.stdout).toContain(
      'invalid key coach_d_2024-01-10: plan text contains a NUL character (U+0000), which cannot be stored',
    );
    expect(refused.stderr).toContain('Nothing was written: 1 row(s) of the source are invalid');

    const skipped = await sandbox.run('import', source, '--skip-invalid');
    expect(skipped.stderr).toBe('');
    expect(skipped.status).toBe(0);
    expect(skipped.stdout).toContain('Imported 1 plan(s)');
  });
});
