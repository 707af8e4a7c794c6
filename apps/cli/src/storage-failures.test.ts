import { truncateSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { committedMigrations, MIGRATIONS_FOLDER, openDatabase } from '@coachwire/storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CliSandbox, cliSandbox } from './test-support/cli-run.js';
import { REPO_ROOT, type WatchedProcess, watchProcess } from './test-support/processes.js';

/** The driver storage uses, for a second process that holds the database's write lock. */
const BETTER_SQLITE3 = createRequire(join(REPO_ROOT, 'packages', 'storage', 'package.json')).resolve(
  'better-sqlite3',
);

/** The generic storage Fix, right for a directory nobody can write but wrong for a lock or a damaged file. */
const GENERIC = /Fix: check that database\.path .* on a disk with free space/;

describe('storage failures get the Fix for their cause', { timeout: 60_000 }, () => {
  let sandbox: CliSandbox;
  let holder: WatchedProcess | undefined;
  beforeEach(() => {
    sandbox = cliSandbox();
  });
  afterEach(async () => {
    if (holder?.child.exitCode === null) {
      holder.child.kill('SIGKILL');
      await holder.exited;
    }
    holder = undefined;
  });

  it('a database another process holds a write transaction on: exit 1 within the busy timeout, say so, and work once it is released', async () => {
    expect((await sandbox.run('db', 'migrate')).status).toBe(0);
    holder = watchProcess(
      process.execPath,
      [
        '-e',
        `const db = new (require(${JSON.stringify(BETTER_SQLITE3)}))(process.argv[1]);
         db.exec('BEGIN IMMEDIATE'); console.log('locked'); setInterval(() => {}, 1000);`,
        sandbox.databasePath,
      ],
      { cwd: sandbox.dir, env: process.env },
    );
    await holder.waitForLine(/^locked$/);

    const blocked = await sandbox.run('mock', '--days', '3');
    expect(blocked.status).toBe(1);
    expect(blocked.stderr).toContain('SQLITE_BUSY');
    expect(blocked.stderr).toMatch(/^Fix: another process holds a write lock on the database/m);
    expect(blocked.stderr).not.toMatch(GENERIC);

    // Doing what the Fix says (the other process finishes) is enough; nothing was half-written.
    holder.child.kill('SIGTERM');
    await holder.exited;
    expect((await sandbox.run('mock', '--days', '3')).status).toBe(0);
    expect((await sandbox.run('db', 'check')).status).toBe(0);
  });

  it('a file that is not a SQLite database: the Fix is the right file or a backup, not disk space', async () => {
    expect((await sandbox.run('db', 'migrate')).status).toBe(0);
    writeFileSync(sandbox.databasePath, 'these are notes, not a database\n'.repeat(200));
    for (const argv of [
      ['db', 'check'],
      ['db', 'migrate'],
      ['charts', 'verify'],
      ['db', 'backup', 'copy.db'],
    ]) {
      const result = await sandbox.run(...argv);
      expect(result.status, argv.join(' ')).toBe(1);
      expect(result.stderr).toContain('SQLITE_NOTADB');
      expect(result.stderr).toMatch(
        /^Fix: database\.path \(env DATABASE_PATH\) must name a Coachwire SQLite database: .*restore the newest backup/m,
      );
      expect(result.stderr).not.toMatch(GENERIC);
    }
  });

  it('a truncated database (SQLITE_CORRUPT) gets the same Fix', async () => {
    expect((await sandbox.run('db', 'migrate')).status).toBe(0);
    truncateSync(sandbox.databasePath, 40_000);
    const result = await sandbox.run('db', 'check');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('SQLITE_CORRUPT');
    expect(result.stderr).toMatch(
      /^Fix: database\.path \(env DATABASE_PATH\) must name a Coachwire SQLite database/m,
    );
  });
  it('a table dropped by hand (no such table): the Fix is a backup, not permissions or disk space', async () => {
    expect((await sandbox.run('db', 'migrate')).status).toBe(0);
    // Its migration stays recorded, so `db migrate` does not bring it back.
    const handle = openDatabase({ path: sandbox.databasePath });
    handle.sqlite.exec('DROP TABLE trades');
    handle.close();
    expect((await sandbox.run('db', 'migrate')).stdout).toContain('applied 0 migration(s)');

    const result = await sandbox.run('db', 'check');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('no such table: trades');
    expect(result.stderr).toMatch(/^Fix: the database's tables are not those its recorded migrations made/m);
    expect(result.stderr).toMatch(/restore the newest backup/);
    expect(result.stderr).not.toMatch(GENERIC);
  });

  it('a database a newer release migrated: every command refuses it, leaves it alone and names the way back', async () => {
    expect((await sandbox.run('db', 'migrate')).status).toBe(0);
    const handle = openDatabase({ path: sandbox.databasePath });
    const { newest } = committedMigrations(MIGRATIONS_FOLDER);
    handle.sqlite
      .prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)')
      .run('a-newer-release', newest + 1);
    const recorded = () => handle.sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get();
    const before = recorded();

    for (const command of [
      ['db', 'migrate'],
      ['db', 'check'],
      ['mock', '--days', '1'],
    ]) {
      const result = await sandbox.run(...command);
      expect(result.status, command.join(' ')).toBe(1);
      expect(result.stderr).toContain(
        'was migrated by a newer Coachwire release: 1 of its migrations is unknown',
      );
      expect(result.stderr).toMatch(/^Fix: Run the Coachwire release that migrated it, or a newer one\./m);
      expect(result.stderr).not.toMatch(GENERIC);
    }
    expect(recorded()).toEqual(before);
    handle.close();
  });
});
