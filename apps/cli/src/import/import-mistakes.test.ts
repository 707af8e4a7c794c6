import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeLegacySqlite } from '../test-support/legacy-fixtures.js';
import {
  coachwireFromSource,
  REPO_ROOT,
  type WatchedProcess,
  watchProcess,
} from '../test-support/processes.js';

/** The driver storage uses, for a process standing in for the old bot, which holds the old file's lock. */
const BETTER_SQLITE3 = createRequire(join(REPO_ROOT, 'packages', 'storage', 'package.json')).resolve(
  'better-sqlite3',
);

interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `coachwire <argv>` as a separate process in `cwd`, from source, reading that directory's `.env`. */
function coachwire(cwd: string, ...argv: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      coachwireFromSource(argv),
      { cwd, env: { PATH: process.env.PATH ?? '', TZ: 'UTC' }, encoding: 'utf8' },
      (error, stdout, stderr) =>
        resolve({ status: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const digest = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

// The mistakes a user of the Python system makes while following docs/MIGRATING.md: each must end with a
// `Fix:` line and exit 2, and leave the old file byte for byte as it was.
describe('coachwire import, the obvious mistakes', { timeout: 60_000 }, () => {
  let dir: string;
  let legacy: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'coachwire-mistakes-'));
    mkdirSync(join(dir, 'legacy'));
    legacy = join(dir, 'legacy', 'coach_plans.db');
    writeLegacySqlite(legacy);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a DATABASE_PATH that still names the old file, and leaves that file untouched', async () => {
    // The old .env kept as it was: DATABASE_PATH names the Python system's file.
    writeFileSync(join(dir, '.env'), 'DATABASE_PATH=legacy/coach_plans.db\nLOG_FILE=\n');
    const before = digest(legacy);
    for (const argv of [
      ['import', 'legacy/coach_plans.db', '--dry-run'],
      ['import', 'legacy/coach_plans.db'],
      ['db', 'migrate'],
      ['db', 'check'],
      ['mock', '--days', '1'],
    ]) {
      const result = await coachwire(dir, ...argv);
      const what = `coachwire ${argv.join(' ')}\n${result.stdout}\n${result.stderr}`;
      expect(result.status, what).toBe(2);
      expect(result.stderr, what).toContain(`${legacy} (database.path) is the old Python system's database`);
      expect(result.stderr, what).toContain('Fix: point DATABASE_PATH');
      expect(result.stderr, what).toContain(`coachwire import ${legacy}`);
      expect(digest(legacy), what).toBe(before);
      expect(readdirSync(join(dir, 'legacy')), what).toEqual(['coach_plans.db']);
    }
  });

  it('refuses a directory or Coachwire’s own database as the source, with a Fix line', async () => {
    writeFileSync(join(dir, '.env'), 'DATABASE_PATH=data/coach_plans.db\nLOG_FILE=\n');
    const folder = await coachwire(dir, 'import', 'legacy');
    expect(folder.status, folder.stderr).toBe(2);
    expect(folder.stderr).toContain(`${join(dir, 'legacy')} is a directory`);
    expect(folder.stderr).toContain('Fix: give the path of the old coach_plans.db');

    expect((await coachwire(dir, 'import', 'legacy/coach_plans.db')).status).toBe(0);
    const own = await coachwire(dir, 'import', 'data/coach_plans.db');
    expect(own.status, own.stderr).toBe(2);
    expect(own.stderr).toContain('has no coach_plans table');
    expect(own.stderr).toContain('Fix: give the old system’s coach_plans.db');
    expect(own.stderr).not.toMatch(/\n\s+at /);
  });
  it('says to stop the old bot when it still holds the old file locked, and imports once it is stopped', async () => {
    writeFileSync(join(dir, '.env'), 'DATABASE_PATH=data/coach_plans.db\nLOG_FILE=\n');
    // The Python bot mid-write: its rollback-journal file is locked against readers too.
    const oldBot: WatchedProcess = watchProcess(
      process.execPath,
      [
        '-e',
        `const db = new (require(${JSON.stringify(BETTER_SQLITE3)}))(process.argv[1]);
         db.exec('BEGIN EXCLUSIVE'); console.log('locked'); setInterval(() => {}, 1000);`,
        legacy,
      ],
      { cwd: dir, env: process.env },
    );
    try {
      await oldBot.waitForLine(/^locked$/);
      const blocked = await coachwire(dir, 'import', 'legacy/coach_plans.db');
      expect(blocked.status, blocked.stderr).toBe(1);
      expect(blocked.stderr).toContain('database is locked');
      expect(blocked.stderr).toMatch(/^Fix: stop the old Python bot/m);
      expect(blocked.stderr).not.toContain('give the old system');
    } finally {
      oldBot.child.kill('SIGKILL');
      await oldBot.exited;
    }
    const imported = await coachwire(dir, 'import', 'legacy/coach_plans.db');
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.stdout).toContain('Imported 4 plan(s)');
  });

  it('refuses a --backup that names a directory or the database’s journal, as `db backup` does', async () => {
    writeFileSync(join(dir, '.env'), 'DATABASE_PATH=data/coach_plans.db\nLOG_FILE=\n');
    expect((await coachwire(dir, 'db', 'migrate')).status).toBe(0);
    const database = join(dir, 'data', 'coach_plans.db');

    // `backups/` would become a file named `backups`.
    const slash = await coachwire(dir, 'import', 'legacy/coach_plans.db', '--backup', 'backups/');
    expect(slash.status, slash.stderr).toBe(2);
    expect(slash.stderr).toContain('backups/ names a directory; the backup is one file.');
    expect(existsSync(join(dir, 'backups'))).toBe(false);
    const suggested = /^Fix: .*--backup (\S+)`/m.exec(slash.stderr)?.[1];
    expect(suggested, slash.stderr).toBeDefined();

    // Under the journal's name, the next open of the database takes the copy for a hot journal and deletes it.
    const journal = await coachwire(
      dir,
      'import',
      'legacy/coach_plans.db',
      '--backup',
      `${database}-journal`,
    );
    expect(journal.status, journal.stderr).toBe(2);
    expect(journal.stderr).toContain("is the name of the database's journal file");
    expect(journal.stderr).toMatch(/^Fix: choose a path outside the database's directory/m);
    expect(readdirSync(join(dir, 'data'))).toEqual(['coach_plans.db']);

    // Nothing was imported by the refused runs; following the first Fix imports and keeps the copy.
    const followed = await coachwire(dir, 'import', 'legacy/coach_plans.db', '--backup', suggested!);
    expect(followed.status, followed.stderr).toBe(0);
    expect(followed.stdout).toContain('Imported 4 plan(s)');
    expect(statSync(join(dir, suggested!)).isFile()).toBe(true);
  });
});
