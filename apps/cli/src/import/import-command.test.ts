import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_COACHES, ForbiddenError, PlanService } from '@coachwire/core';
import { openDatabase, SqlitePlanRepository } from '@coachwire/storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CliSandbox, cliSandbox } from '../test-support/cli-run.js';
import { CDN, UNICODE_PLAN, writeLegacyJson, writeLegacySqlite } from '../test-support/legacy-fixtures.js';
import { committedMigrations, writeOlderDatabase } from '../test-support/older-database.js';

describe('coachwire import', () => {
  let sandbox: CliSandbox;
  beforeEach(() => {
    sandbox = cliSandbox();
  });
  afterEach(() => sandbox.remove());

  /** Reads the target back through the same repository the API and the bot use. */
  async function target<T>(
    read: (repository: SqlitePlanRepository, handle: ReturnType<typeof openDatabase>) => Promise<T>,
  ): Promise<T> {
    const handle = openDatabase({ path: sandbox.databasePath });
    try {
      return await read(new SqlitePlanRepository(handle), handle);
    } finally {
      handle.close();
    }
  }
  const count = (handle: ReturnType<typeof openDatabase>, table: string) =>
    (handle.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

  it('imports the old SQLite file: edits become revisions, deletions stay, charts and unicode survive', async () => {
    const source = join(sandbox.dir, 'coach_plans.db');
    writeLegacySqlite(source);
    const result = await sandbox.run('import', source);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      'Imported 4 plan(s), 3 chart(s), 2 revision(s); wrote 3 plan.created event(s).',
    );
    expect(result.stdout).toContain('Verified: every imported text, chart and revision equals its source');

    await target(async (repository) => {
      const edited = await repository.getLive('d', '2024-01-15');
      expect(edited).toMatchObject({
        text: 'SPY above 472, target 476',
        author: { id: null, name: 'CoachDan' },
        channelName: 'coach-d-plans',
        createdAt: '2024-01-15T13:30:00.000Z',
        editedAt: '2024-01-15T15:10:00.000Z',
        deletedAt: null,
      });
      expect(edited!.charts.map((chart) => [chart.url, chart.filename])).toEqual([
        [`${CDN}/spy-1.png`, 'spy-1.png'],
        [`${CDN}/spy%202.png?ex=65a1`, 'spy 2.png'],
      ]);
      const history = await repository.history(edited!.id);
      expect(history.map((revision) => [revision.previousText, revision.editor.name])).toEqual([
        ['SPY above 471, target 475', 'Moderator'],
        ['SPY above 470', 'CoachDan'],
      ]);

      expect(await repository.getLive('i', '2024-01-15')).toBeNull();
      const deleted = (await repository.list({ limit: 10, includeDeleted: true, coach: 'i' }))[0];
      expect(deleted).toMatchObject({ text: 'QQQ fade into 410', deletedAt: '2024-01-15T13:45:00.000Z' });
      expect(deleted!.charts).toHaveLength(1);

      const unicode = await repository.getLive('s', '2024-01-16');
      expect(unicode?.text).toBe(UNICODE_PLAN);
      expect(unicode?.author.name).toBe('Søren 🧠');
      expect(unicode?.createdAt).toBe('2024-01-16T09:00:00.123Z');
      expect((await repository.getLive('n', '2024-01-16'))?.channelName).toBeNull();

      const events = await repository.eventsAfter(0, 100);
      expect(events.map((event) => event.type)).toEqual(['plan.created', 'plan.created', 'plan.created']);
      expect(events.map((event) => event.payload.coach).sort()).toEqual(['d', 'n', 's']);
    });
    expect(
      readdirSync(join(sandbox.dir, 'data')).some((name) => name.startsWith('coach_plans.db.before-import-')),
    ).toBe(true);
  });

  it('lets only admins edit imported plans, since the old authors have no Discord id', async () => {
    const source = join(sandbox.dir, 'coach_plans.db');
    writeLegacySqlite(source);
    expect((await sandbox.run('import', source)).status).toBe(0);
    await target(async (repository) => {
      const service = new PlanService({
        repository,
        coaches: DEFAULT_COACHES,
        timezone: 'UTC',
        admins: { userIds: ['9'], roleIds: [] },
      });
      const ref = { coach: 'd', tradingDate: '2024-01-15' };
      await expect(
        service.edit({ id: '1', name: 'CoachDan' }, ref, { text: 'hijack' }),
      ).rejects.toBeInstanceOf(ForbiddenError);
      expect(
        (await service.edit({ id: '9', name: 'Admin' }, ref, { text: 'fixed by an admin' })).plan.text,
      ).toBe('fixed by an admin');
    });
  });

  it('changes nothing when the same source is imported a second time', async () => {
    const source = join(sandbox.dir, 'coach_plans.db');
    writeLegacySqlite(source);
    expect((await sandbox.run('import', source)).status).toBe(0);
    const before = await target(async (_repository, handle) =>
      ['plans', 'charts', 'plan_revisions', 'events'].map((table) => count(handle, table)),
    );

    const again = await sandbox.run('import', source);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('Nothing to import: all 4 plan(s) were imported before.');
    const after = await target(async (_repository, handle) =>
      ['plans', 'charts', 'plan_revisions', 'events'].map((table) => count(handle, table)),
    );
    expect(after).toEqual(before);
    expect(
      readdirSync(join(sandbox.dir, 'data')).filter((name) => name.includes('before-import')),
    ).toHaveLength(1);
  });

  it('refuses plans that conflict with the database before taking any backup, and skips them on request', async () => {
    expect((await sandbox.run('db', 'migrate')).status).toBe(0);
    // Posted through the bot before the import: the live plan of coach d for the source's first day.
    await target(async (repository) =>
      repository.insert({
        coach: 'd',
        tradingDate: '2024-01-15',
        text: 'Posted in Discord',
        author: { id: '42', name: 'CoachDan' },
        guildId: null,
        channelId: null,
        channelName: null,
        sourceMessageId: null,
        charts: [],
        createdAt: '2024-01-15T14:00:00.000Z',
      }),
    );
    const source = join(sandbox.dir, 'coach_plans.db');
    writeLegacySqlite(source);
    const backups = () =>
      readdirSync(join(sandbox.dir, 'data')).filter((name) => name.includes('before-import'));

    const refused = await sandbox.run('import', source);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toMatch(/conflict coach_plans id 1: plan \d+ is already the live plan of d/);
    expect(refused.stderr).toContain('Nothing was written: 1 plan(s) of the source conflict');
    expect(refused.stderr).toContain('Fix: delete the conflicting plans first, or rerun with --skip-invalid');
    expect(backups()).toEqual([]);
    expect(await target(async (_repository, handle) => count(handle, 'plans'))).toBe(1);

    const skipped = await sandbox.run('import', source, '--skip-invalid');
    expect(skipped.status).toBe(0);
    expect(skipped.stdout).toContain('Imported 3 plan(s)');
    expect(skipped.stdout).toMatch(/Skipped coach_plans id 1: plan \d+ is already the live plan of d/);
    expect(backups()).toHaveLength(1);

    const again = await sandbox.run('import', source, '--skip-invalid');
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('Nothing to import: 3 plan(s) were imported before.');
    expect(again.stdout).toMatch(/Skipped coach_plans id 1: /);
    expect(backups()).toHaveLength(1);
  });

  it('reports malformed rows by row and writes nothing unless --skip-invalid is given', async () => {
    const source = join(sandbox.dir, 'coach_plans.db');
    writeLegacySqlite(source, { malformed: true });
    const refused = await sandbox.run('import', source);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain(
      "invalid coach_plans id 5: unknown coach 'coach_x' (configured: d, i, s, n)",
    );
    expect(refused.stdout).toContain("invalid coach_plans id 6: bad date '2024-02-30'");
    expect(refused.stdout).toMatch(
      /invalid coach_plans id 7: plan text is empty; created_at 'yesterday' is not a date and time/,
    );
    expect(refused.stdout).toContain('invalid plan_charts id 4: refers to missing plan 99');
    expect(refused.stderr).toContain('Nothing was written: 4 row(s) of the source are invalid');
    expect(refused.stderr).toContain('Fix: correct those rows in the source, or rerun with --skip-invalid');
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(sandbox.databasePath)).toBe(false);

    const skipped = await sandbox.run('import', source, '--skip-invalid');
    expect(skipped.status).toBe(0);
    expect(skipped.stdout).toContain('Imported 4 plan(s)');
    expect(skipped.stdout).toContain('Skipped 4 invalid row(s) (--skip-invalid).');
  });

  it('reports what a dry run would do and writes nothing', async () => {
    const source = join(sandbox.dir, 'coach_plans.db');
    writeLegacySqlite(source);
    const dry = await sandbox.run('import', source, '--dry-run');
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain(
      'Dry run, nothing written. The import would add 4 plan(s) (1 deleted), 3 chart(s), 2 revision(s).',
    );
    expect(existsSync(sandbox.databasePath)).toBe(false);

    // A database file there but empty (touched, or made by hand) reads as no plans, as on PostgreSQL, and
    // stays untouched: it was "no such table: plans" with a storage Fix.
    mkdirSync(join(sandbox.dir, 'data'), { recursive: true });
    writeFileSync(sandbox.databasePath, '');
    const onEmpty = await sandbox.run('import', source, '--dry-run');
    expect(onEmpty.status, onEmpty.stderr).toBe(0);
    expect(onEmpty.stdout).toContain('The import would add 4 plan(s)');
    expect(readdirSync(join(sandbox.dir, 'data'))).toEqual(['coach_plans.db']);
    expect(statSync(sandbox.databasePath).size).toBe(0);

    // A --backup below a file: the backup's path is named as the problem, not the database's.
    writeFileSync(join(sandbox.dir, 'a-file'), 'x');
    const blocked = await sandbox.run('import', source, '--backup', 'a-file/before.db');
    expect(blocked.status).toBe(1);
    expect(blocked.stderr).toContain(`${join(sandbox.dir, 'a-file')} is a file, not a directory`);
    expect(blocked.stderr).toContain('Fix: choose another path');
    expect(blocked.stderr).not.toContain('DATABASE_PATH');

    expect((await sandbox.run('import', source)).status).toBe(0);
    const second = await sandbox.run('import', source, '--dry-run');
    expect(second.stdout).toContain('would add 0 plan(s)');
    expect(second.stdout).toContain('Already imported before: 4.');
  });

  it('asks for `db migrate` before a dry run on a database an older release left, and runs once it is done', async () => {
    const source = join(sandbox.dir, 'coach_plans.db');
    writeLegacySqlite(source);
    writeOlderDatabase(sandbox.databasePath, 2);
    const behind = await sandbox.run('import', source, '--dry-run');
    expect(behind.status).toBe(1);
    expect(behind.stderr).toContain(`is ${committedMigrations().length - 2} migration(s) behind`);
    expect(behind.stderr).toMatch(/^Fix: run `coachwire db migrate` with the same DATABASE_PATH/m);

    expect((await sandbox.run('db', 'migrate')).status).toBe(0);
    const dry = await sandbox.run('import', source, '--dry-run');
    expect(dry.stderr).toBe('');
    expect(dry.stdout).toContain('The import would add 4 plan(s)');
  });

  it('imports the JSON dump of the first version, once', async () => {
    const source = join(sandbox.dir, 'plans.json');
    writeLegacyJson(source);
    const first = await sandbox.run('import', source);
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain('(json): 3 plan(s) valid, 0 invalid row(s)');
    expect(first.stdout).toContain(
      'Imported 3 plan(s), 2 chart(s), 0 revision(s); wrote 3 plan.created event(s).',
    );
    await target(async (repository) => {
      expect(await repository.getLive('d', '2024-01-10')).toMatchObject({
        text: 'Day plan: SPY 468/470',
        author: { id: null, name: 'CoachDan' },
        channelName: 'coach-d-plans',
        createdAt: '2024-01-10T09:15:00.250Z',
        charts: [
          expect.objectContaining({ url: `${CDN}/d1.png`, filename: 'd1.png' }),
          expect.objectContaining({ url: `${CDN}/d2.png` }),
        ],
      });
      expect((await repository.getLive('s', '2024-01-10'))?.text).toBe(UNICODE_PLAN);
      expect((await repository.getLive('n', '2024-01-11'))?.createdAt).toBe('2024-01-11T10:00:00.000Z');
    });
    expect((await sandbox.run('import', source)).stdout).toContain('Nothing to import: all 3 plan(s)');

    // Saved again by a Windows editor, with a byte-order mark first: the same dump, still imported before.
    writeFileSync(source, `\uFEFF${readFileSync(source, 'utf8')}`);
    const withMark = await sandbox.run('import', source);
    expect(withMark.status, withMark.stderr).toBe(0);
    expect(withMark.stdout).toContain('(json): 3 plan(s) valid, 0 invalid row(s)');

    // A dump of no plans says so, rather than "all 0 plan(s) were imported before".
    const empty = join(sandbox.dir, 'empty.json');
    writeFileSync(empty, '{}');
    const none = await sandbox.run('import', empty);
    expect(none.status).toBe(0);
    expect(none.stdout).toContain(`Nothing to import: ${empty} holds no plans. Nothing was written.`);
  });

  it('lists each malformed entry of a JSON dump', async () => {
    const source = join(sandbox.dir, 'plans.json');
    writeLegacyJson(source, { malformed: true });
    const result = await sandbox.run('import', source);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain("invalid key coach_q_2024-01-11: unknown coach 'coach_q'");
    expect(result.stdout).toContain("invalid key coach_d_2024-13-01: bad date '2024-13-01'");
    expect(result.stdout).toContain('invalid key not-a-plan-key: key is not coach_<letter>_<YYYY-MM-DD>');
    expect(result.stdout).toContain(
      "invalid key coach_i_2024-01-11: chart URL 'ftp://x/y.png' is not http(s)",
    );
  });

  it('rolls the whole import back and says so when what was written differs from the source', async () => {
    expect((await sandbox.run('db', 'migrate')).status).toBe(0);
    // A trigger that alters one stored text stands in for a fault between writing and reading back.
    await target(async (_repository, handle) => {
      handle.sqlite.exec(`CREATE TRIGGER corrupt_import AFTER INSERT ON plans WHEN NEW.coach = 's'
        BEGIN UPDATE plans SET text = substr(text, 1, 10) WHERE id = NEW.id; END`);
    });
    const source = join(sandbox.dir, 'coach_plans.db');
    writeLegacySqlite(source);
    const result = await sandbox.run('import', source);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('mismatch: coach_plans id 3: text differs from the source');
    expect(result.stderr).toContain('The import was rolled back');
    expect(result.stderr).toContain('The database is exactly as before.');
    await target(async (_repository, handle) => {
      expect(['plans', 'charts', 'plan_revisions', 'events'].map((table) => count(handle, table))).toEqual([
        0, 0, 0, 0,
      ]);
    });
  });

  it('refuses a source that is neither form, naming both', async () => {
    const result = await sandbox.run('import', join(sandbox.dir, 'missing.db'));
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Fix: give the path of the old coach_plans.db or of the JSON dump.');
  });

  it('says so, and creates no database, when --skip-invalid leaves out every row', async () => {
    const source = join(sandbox.dir, 'package.json');
    writeFileSync(source, JSON.stringify({ name: 'not-a-dump', version: '1.0.0' }));
    const result = await sandbox.run('import', source, '--skip-invalid');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      `Nothing to import: none of the 2 row(s) of ${source} is valid (listed above). Nothing was written.`,
    );
    expect(result.stdout).not.toContain('imported before');
    expect(existsSync(sandbox.databasePath)).toBe(false);
  });

  it('refuses JSON that is not a dump at all, instead of offering --skip-invalid for it', async () => {
    for (const [name, text] of [
      ['null.json', 'null'],
      ['list.json', '[{"plan": "SPY"}]'],
      ['text.json', '"coach_d_2024-01-15"'],
    ] as const) {
      const source = join(sandbox.dir, name);
      writeFileSync(source, text);
      for (const argv of [[], ['--dry-run'], ['--skip-invalid']]) {
        const result = await sandbox.run('import', source, ...argv);
        const what = `import ${name} ${argv.join(' ')}\n${result.stdout}${result.stderr}`;
        expect(result.status, what).toBe(2);
        expect(result.stderr, what).toContain(`${source} is JSON but not the first version's dump`);
        expect(result.stderr, what).toMatch(/^Fix: give the old coach_plans\.db, or the JSON dump/m);
        expect(result.stderr + result.stdout, what).not.toContain('--skip-invalid');
        expect(result.stdout, what).not.toContain('imported before');
      }
    }
    // Refused before the target is touched: no database was created for it.
    expect(existsSync(sandbox.databasePath)).toBe(false);
  });
});
