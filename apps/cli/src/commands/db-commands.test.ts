import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  countPlans,
  createMarketServices,
  integrityCheck,
  migrateDatabase,
  openDatabase,
  SqlitePlanRepository,
} from '@coachwire/storage';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CliSandbox, cliSandbox } from '../test-support/cli-run.js';
import { committedMigrations, writeOlderDatabase } from '../test-support/older-database.js';
import { ensureBuilt, REPO_ROOT } from '../test-support/processes.js';

/** A plan for `SqlitePlanRepository.insert`, one trading day apart per index. */
const draft = (index: number) => ({
  coach: 'd',
  tradingDate: new Date(Date.UTC(2000, 0, 1 + index)).toISOString().slice(0, 10),
  text: `plan ${index} ${'x'.repeat(500)}`,
  author: { id: '1', name: 'writer' },
  guildId: null,
  channelId: null,
  channelName: null,
  sourceMessageId: null,
  charts: [],
  createdAt: new Date(Date.UTC(2020, 0, 1)).toISOString(),
});

describe('coachwire db', () => {
  let sandbox: CliSandbox;
  beforeAll(() => ensureBuilt(), 180_000);
  beforeEach(() => {
    sandbox = cliSandbox();
  });
  afterEach(() => sandbox.remove());

  it('migrates a new database and says so, then finds nothing left to apply', async () => {
    const first = await sandbox.run('db', 'migrate');
    expect(first).toMatchObject({ status: 0, stderr: '' });
    expect(first.stdout).toMatch(/applied [1-9]\d* migration\(s\)/);
    expect((await sandbox.run('db', 'migrate')).stdout).toContain('applied 0 migration(s)');
  });

  it('checks integrity and counts rows, and names the fix when there is no database', async () => {
    const missing = await sandbox.run('db', 'check');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain(`No database at ${sandbox.databasePath}`);
    expect(missing.stderr).toContain('Fix: create it with `coachwire db migrate`');

    expect((await sandbox.run('mock', '--days', '7')).status).toBe(0);
    const check = await sandbox.run('db', 'check');
    expect(check.status).toBe(0);
    expect(check.stdout).toContain('integrity ok');
    expect(check.stdout).toMatch(/plans: +\d+ \(\d+ live, 0 deleted\)/);
    // Only the plan events are counted here, and the label says so (the ledger check covers the others).
    expect(check.stdout).toMatch(/^ {2}plan events: [1-9]\d*$/m);
    expect(check.stdout).not.toMatch(/^ {2}events:/m);
  });

  it('names `db migrate` as the fix when the database file is there but empty or never migrated', async () => {
    mkdirSync(join(sandbox.dir, 'data'));
    writeFileSync(sandbox.databasePath, '');
    for (const argv of [
      ['db', 'check'],
      ['charts', 'verify'],
      ['charts', 'gc'],
    ]) {
      const result = await sandbox.run(...argv);
      expect(result.status, argv.join(' ')).toBe(1);
      expect(result.stderr).toContain(`The database at ${sandbox.databasePath} has no Coachwire tables.`);
      expect(result.stderr).toContain('Fix: run `coachwire db migrate`');
      expect(result.stderr).not.toContain('no such table');
      // Refused without being written to: still empty, with no WAL beside it.
      expect(statSync(sandbox.databasePath).size, argv.join(' ')).toBe(0);
      expect(existsSync(`${sandbox.databasePath}-wal`), argv.join(' ')).toBe(false);
    }
    const backup = await sandbox.run('db', 'backup', join(sandbox.dir, 'copy.db'));
    expect(backup.status).toBe(1);
    expect(backup.stderr).toContain(`The database file at ${sandbox.databasePath} is empty.`);
    expect(backup.stderr).toContain('Fix: create the database in it with `coachwire db migrate`');
    expect(statSync(sandbox.databasePath).size).toBe(0);
    // Another program's database is refused the same way, and keeps its rollback journal mode.
    const other = join(sandbox.dir, 'other.db');
    const foreign = openDatabase({ path: other });
    foreign.sqlite.exec('CREATE TABLE notes (body TEXT)');
    foreign.sqlite.pragma('journal_mode = DELETE');
    foreign.close();
    const before = readFileSync(other);
    // Named as such, with a Fix that does not add Coachwire's tables to it (`db migrate` did, and exited 0).
    for (const command of [
      ['db', 'check'],
      ['db', 'migrate'],
      ['charts', 'verify'],
    ]) {
      const refused = await cliSandbox({ DATABASE_PATH: other }).run(...command);
      expect(refused.status, command.join(' ')).toBe(2);
      expect(refused.stderr).toContain(
        `${other} (database.path) is another program's database (tables notes)`,
      );
      expect(refused.stderr).toContain('Fix: point DATABASE_PATH (database.path) at the Coachwire database');
    }
    expect(readFileSync(other).equals(before)).toBe(true);
    // A backup used to open it for writing first, which switched it to WAL mode (header bytes 18-19).
    const foreignBackup = await cliSandbox({ DATABASE_PATH: other }).run(
      'db',
      'backup',
      join(sandbox.dir, 'b.db'),
    );
    expect(foreignBackup.status).toBe(2);
    expect(foreignBackup.stderr).toContain("is another program's database");
    expect(existsSync(join(sandbox.dir, 'b.db'))).toBe(false);
    expect(readFileSync(other).equals(before)).toBe(true);
    // Doing what the Fix says works.
    expect((await sandbox.run('db', 'migrate')).status).toBe(0);
    expect((await sandbox.run('db', 'check')).status).toBe(0);
  });

  it('verifies the ledger, prints what it checked, and exits 1 on a violation', async () => {
    const handle = openDatabase({ path: sandbox.databasePath });
    await migrateDatabase(handle);
    const { markets } = createMarketServices(handle, { timezone: 'America/New_York' });
    const creator = { id: '1', name: 'creator' };
    const market = await markets.create(
      creator,
      { guildId: 'g', idempotencyKey: 'k1' },
      {
        question: 'Will it rain?',
        mechanism: 'cpmm',
        closesAt: new Date(Date.now() + 86_400_000).toISOString(),
      },
    );
    await markets.buy(
      { id: '2', name: 'bettor' },
      { guildId: 'g', idempotencyKey: 'k2' },
      {
        marketId: market.id,
        option: 0,
        points: 40,
      },
    );
    const healthy = await sandbox.run('db', 'check');
    expect(healthy.status, healthy.stderr).toBe(0);
    expect(healthy.stdout).toContain('Ledger: ok');
    expect(healthy.stdout).toContain('checked: balances sum to 0 in each of 1 guild(s)');
    expect(healthy.stdout).toContain('checked: 1 position(s) agree with their trades');

    // Someone edits a cached balance by hand: the replay and the guild's sum both disagree now.
    handle.sqlite.prepare("UPDATE accounts SET balance = balance + 5 WHERE key = 'user:2'").run();
    handle.close();
    const broken = await sandbox.run('db', 'check');
    expect(broken.status).toBe(1);
    expect(broken.stdout).toContain('violation: guild g: balances sum to 5, not 0');
    expect(broken.stdout).toContain(
      'violation: account user:2 (guild g): stored 965, transfers replay to 960',
    );
    // What broke is not also listed as checked; what held still is.
    expect(broken.stdout).not.toContain('checked: balances sum to 0');
    expect(broken.stdout).not.toContain('equal the replay of their transfers');
    expect(broken.stdout).toContain('checked: 1 position(s) agree with their trades');
    expect(broken.stderr).toContain('Fix:');
  });

  it('finds a starting grant paid twice, which every balance and sum still agrees with', async () => {
    const handle = openDatabase({ path: sandbox.databasePath });
    await migrateDatabase(handle);
    const { points } = createMarketServices(handle, { timezone: 'America/New_York' });
    await points.openAccount({ id: '2', name: 'member' }, { guildId: 'g', idempotencyKey: 'open-2' });
    expect((await sandbox.run('db', 'check')).stdout).toContain(
      'checked: every account got the starting grant at most once',
    );
    // A second grant row, with the house and the member's balances moved to match: consistent, and wrong.
    handle.sqlite.exec(`
      INSERT INTO transfers (guild_id, from_account_id, to_account_id, amount, kind, created_at)
        SELECT guild_id, from_account_id, to_account_id, amount, kind, created_at FROM transfers
        WHERE kind = 'starting_grant';
      UPDATE accounts SET balance = balance - 1000 WHERE key = 'house';
      UPDATE accounts SET balance = balance + 1000 WHERE key = 'user:2';`);
    handle.close();
    const doubled = await sandbox.run('db', 'check');
    expect(doubled.status).toBe(1);
    expect(doubled.stdout).toContain('violation: account user:2 (guild g) got the starting grant 2 times');
    expect(doubled.stdout).toContain('checked: balances sum to 0 in each of 1 guild(s)');
  });

  it('backs up a consistent copy while a writer is in the middle of a transaction', async () => {
    const handle = openDatabase({ path: sandbox.databasePath });
    await migrateDatabase(handle);
    const repository = new SqlitePlanRepository(handle);
    for (let index = 0; index < 300; index++) await repository.insert(draft(index));

    // The writer (this process) holds an open write transaction with 50 more plans while the backup runs in
    // another process (the built CLI): the copy must be the last committed state, complete and intact.
    handle.sqlite.exec('BEGIN IMMEDIATE');
    for (let index = 300; index < 350; index++) await repository.insert(draft(index));
    const backupPath = join(sandbox.dir, 'backups', 'copy.db');
    const backup = spawnSync(
      process.execPath,
      [join(REPO_ROOT, 'apps/cli/dist/main.js'), 'db', 'backup', backupPath],
      {
        env: { ...process.env, DATABASE_PATH: sandbox.databasePath, LOG_FILE: '' },
        encoding: 'utf8',
      },
    );
    handle.sqlite.exec('COMMIT');
    await repository.insert(draft(350));
    handle.close();
    expect(backup.status, backup.stderr).toBe(0);
    expect(backup.stdout).toContain('the copy passed its integrity check');

    const copy = openDatabase({ path: backupPath, readonly: true });
    try {
      const report = integrityCheck(copy);
      expect(report.ok).toBe(true);
      expect(report.counts).toMatchObject({ plans: 300, events: 300 });
    } finally {
      copy.close();
    }
  });

  it('leaves the backup as one self-contained file: no -wal or -shm beside it, intact, every plan', async () => {
    // The source stays open, as the apps keep it, with its last commits still in its WAL.
    const source = openDatabase({ path: sandbox.databasePath });
    await migrateDatabase(source);
    const repository = new SqlitePlanRepository(source);
    for (let index = 0; index < 12; index++) await repository.insert(draft(index));
    const plans = countPlans(source, { includeDeleted: true });
    expect(plans).toBe(12);

    const backup = await sandbox.run('db', 'backup', 'copies/copy.db');
    source.close();
    expect(backup.status, backup.stderr).toBe(0);
    expect(backup.stdout).toContain(`${plans} plans); the copy passed its integrity check`);
    // Checked before anything here opens the copy: a WAL-mode file would grow -wal/-shm on a mere read.
    expect(readdirSync(join(sandbox.dir, 'copies'))).toEqual(['copy.db']);

    const copy = openDatabase({ path: join(sandbox.dir, 'copies', 'copy.db'), readonly: true });
    try {
      expect(copy.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(copy.sqlite.pragma('journal_mode', { simple: true })).toBe('delete');
      expect(countPlans(copy, { includeDeleted: true })).toBe(plans);
    } finally {
      copy.close();
    }
    expect(readdirSync(join(sandbox.dir, 'copies'))).toEqual(['copy.db']);
  });

  it('creates missing directories for the backup, as the docs rely on, and names the fix when it cannot', async () => {
    await sandbox.run('db', 'migrate');
    const nested = await sandbox.run('db', 'backup', 'a/b/copy.db');
    expect(nested.status, nested.stderr).toBe(0);
    expect(readdirSync(join(sandbox.dir, 'a', 'b'))).toEqual(['copy.db']);

    // A file where a directory should be: nothing can be created, and the fix is about the backup path.
    writeFileSync(join(sandbox.dir, 'not-a-dir'), 'x');
    const blocked = await sandbox.run('db', 'backup', 'not-a-dir/copy.db');
    expect(blocked.status).toBe(1);
    expect(blocked.stderr).toContain(
      `Cannot write the backup to ${join(sandbox.dir, 'not-a-dir', 'copy.db')}: ${join(sandbox.dir, 'not-a-dir')} is a file`,
    );
    expect(blocked.stderr).toContain('Fix: choose another path');
    expect(blocked.stderr).not.toContain('DATABASE_PATH');

    // A directory nobody can create (the kernel answers ENOENT to every mkdir under /proc, even for root).
    const uncreatable = await sandbox.run('db', 'backup', '/proc/coachwire-backups/copy.db');
    expect(uncreatable.status).toBe(1);
    expect(uncreatable.stderr).toContain('Cannot write the backup to /proc/coachwire-backups/copy.db');
    expect(uncreatable.stderr).toContain(
      'Fix: create the directory first (mkdir -p /proc/coachwire-backups) or choose another path',
    );
    expect(uncreatable.stderr).not.toContain('DATABASE_PATH');
  });

  it('takes a path ending in a slash for the directory it names, not a file named like it', async () => {
    await sandbox.run('db', 'migrate');
    const slash = await sandbox.run('db', 'backup', 'newdir/');
    expect(slash.status).toBe(2);
    expect(slash.stderr).toContain('newdir/ names a directory; the backup is one file.');
    expect(existsSync(join(sandbox.dir, 'newdir'))).toBe(false);
    const suggested = /^Fix: .*coachwire db backup (\S+)`/m.exec(slash.stderr)?.[1];
    expect(suggested).toMatch(/^newdir\/coachwire-.*\.db$/);
    expect((await sandbox.run('db', 'backup', suggested!)).status).toBe(0);
  });

  it('backs up a database migrations behind, as the Fix of `db check` tells before `db migrate`', async () => {
    await sandbox.run('db', 'migrate');
    // As a database last migrated by an older release looks: one migration not recorded yet.
    const older = openDatabase({ path: sandbox.databasePath });
    older.sqlite.exec(
      'DELETE FROM __drizzle_migrations WHERE rowid = (SELECT max(rowid) FROM __drizzle_migrations)',
    );
    older.close();
    const check = await sandbox.run('db', 'check');
    expect(check.stderr).toContain('1 migration(s) behind');
    expect(check.stderr).toContain('back it up first with `coachwire db backup`');
    const backup = await sandbox.run('db', 'backup', 'before-upgrade.db');
    expect(backup.status, backup.stderr).toBe(0);
    expect(backup.stdout).toContain('the copy passed its integrity check');
  });

  it('backs up a database from before the event log (migration 0002), then migrates it', async () => {
    // As a release before markets left it: plan events still in `plan_events`, no `events` table yet.
    writeOlderDatabase(sandbox.databasePath, 2);
    const total = committedMigrations().length;
    const check = await sandbox.run('db', 'check');
    expect(check.stderr).toContain(`${total - 2} migration(s) behind`);
    expect(check.stderr).toContain('back it up first with `coachwire db backup`');

    const backup = await sandbox.run('db', 'backup', 'before-upgrade.db');
    expect(backup.stderr).toBe('');
    expect(backup).toMatchObject({ status: 0 });
    expect(backup.stdout).toContain('the copy passed its integrity check');
    const migrated = await sandbox.run('db', 'migrate');
    expect(migrated.stdout).toContain(`applied ${total - 2} migration(s)`);
    expect((await sandbox.run('db', 'check')).status).toBe(0);
  });

  it('refuses to overwrite an existing backup file', async () => {
    await sandbox.run('db', 'migrate');
    expect((await sandbox.run('db', 'backup', 'copy.db')).status).toBe(0);
    const again = await sandbox.run('db', 'backup', 'copy.db');
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('already exists');
    expect(again.stderr).toContain('Fix: choose a new file name');
  });

  it('never advises removing the database or a directory when the backup path names one', async () => {
    await sandbox.run('db', 'migrate');
    // The database itself, by its own path and by a relative one: "remove the old copy first" would lose it.
    for (const path of [sandbox.databasePath, 'data/./coach_plans.db']) {
      const self = await sandbox.run('db', 'backup', path);
      expect(self.status, path).toBe(2);
      expect(self.stderr).toContain(`${sandbox.databasePath} is the database itself`);
      expect(self.stderr).toMatch(/^Fix: choose a path outside .*, e\.g\. /m);
      expect(self.stderr).not.toContain('remove');
    }
    expect((await sandbox.run('db', 'check')).status).toBe(0);
    // Nor the name of its WAL (absent between checkpoints): SQLite would take the backup for the journal.
    const wal = await sandbox.run('db', 'backup', `${sandbox.databasePath}-wal`);
    expect(wal.status).toBe(2);
    expect(wal.stderr).toContain("is the name of the database's wal file");
    expect((await sandbox.run('db', 'check')).status).toBe(0);

    // A directory: the fix names a file inside it, and doing what it says works.
    const directory = await sandbox.run('db', 'backup', 'data');
    expect(directory.status).toBe(2);
    expect(directory.stderr).toContain(`${join(sandbox.dir, 'data')} is a directory`);
    expect(directory.stderr).not.toContain('remove');
    const suggested = /^Fix: .*coachwire db backup (\S+)`/m.exec(directory.stderr)?.[1];
    expect(suggested).toBeDefined();
    const followed = await sandbox.run('db', 'backup', suggested!);
    expect(followed.status, followed.stderr).toBe(0);
  });

  it('backs up a damaged database to nothing, says the database is damaged, and names a fix for every damage', async () => {
    const source = openDatabase({ path: sandbox.databasePath });
    await migrateDatabase(source);
    const repository = new SqlitePlanRepository(source);
    for (let index = 0; index < 200; index++) await repository.insert(draft(index));
    source.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    source.close();
    const pristine = readFileSync(sandbox.databasePath);
    const damaged = (at: number) => {
      const bytes = Buffer.from(pristine);
      bytes.fill(0xff, at, at + 8192);
      writeFileSync(sandbox.databasePath, bytes);
    };

    // A data page: the schema reads, the copy is made, and its integrity check fails.
    damaged(Math.floor(pristine.length / 4096 / 2) * 4096);
    const backup = await sandbox.run('db', 'backup', 'copies/copy.db');
    expect(backup.status).toBe(1);
    expect(backup.stderr).toContain('failed its integrity check, so the database itself is probably damaged');
    expect(backup.stderr).toContain(`Nothing was written to ${join(sandbox.dir, 'copies', 'copy.db')}`);
    expect(backup.stderr).toMatch(/^Fix: run `coachwire db check` on the database/m);
    expect(readdirSync(join(sandbox.dir, 'copies'))).toEqual([]);

    // The schema page: every command fails while reading it, each with the damaged-database fix.
    damaged(4096);
    for (const command of [
      ['db', 'check'],
      ['db', 'backup', 'copies/copy.db'],
      ['charts', 'verify'],
    ]) {
      const failed = await sandbox.run(...command);
      expect(failed.status, command.join(' ')).toBe(1);
      expect(failed.stderr, command.join(' ')).toContain('database disk image is malformed');
      expect(failed.stderr, command.join(' ')).toMatch(/^Fix: .*restore the newest backup/m);
    }
    expect(readdirSync(join(sandbox.dir, 'copies'))).toEqual([]);
  });
});
