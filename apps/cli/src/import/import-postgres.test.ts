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
});
