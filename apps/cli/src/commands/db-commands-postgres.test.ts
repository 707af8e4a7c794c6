import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { openCoachwire } from '@coachwire/runtime';
import { openPostgres } from '@coachwire/storage';
import { createTestPgDatabase, type TestPgDatabase } from '@coachwire/storage/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CliSandbox, cliSandbox } from '../test-support/cli-run.js';
import { RIGHTLESS_PASSWORD, withRightlessUser } from '../test-support/pg-roles.js';
import { ADMIN, GUILD, installationConfig } from '../test-support/populated-installation.js';
import { freePort } from '../test-support/processes.js';
import { findPgDump } from './pg-backup.js';

let database: TestPgDatabase;
let sandbox: CliSandbox;
let password: string;

beforeEach(async () => {
  database = await createTestPgDatabase();
  password = decodeURIComponent(new URL(database.url).password);
  sandbox = cliSandbox({ DATABASE_URL: database.url });
});
afterEach(async () => {
  await database.drop();
  sandbox.remove();
});

const target = () => {
  const url = new URL(database.url);
  return `${url.hostname}:${url.port}${url.pathname}`;
};

describe('coachwire db on PostgreSQL (DATABASE_URL set)', () => {
  it('migrates the database, then finds nothing left to apply, and never touches the SQLite path', async () => {
    expect(password.length).toBeGreaterThan(0);
    const first = await sandbox.run('db', 'migrate');
    expect(first).toMatchObject({ status: 0, stderr: '' });
    expect(first.stdout).toMatch(/applied [1-9]\d* migration\(s\)/);
    expect(first.stdout).toContain(':***@');
    expect(first.stdout).not.toContain(password);
    expect((await sandbox.run('db', 'migrate')).stdout).toContain('applied 0 migration(s)');
    expect(existsSync(sandbox.databasePath)).toBe(false);
  });

  it('refuses to check an unmigrated database and names the fix, without the password', async () => {
    const check = await sandbox.run('db', 'check');
    expect(check.status).toBe(1);
    expect(check.stderr).toContain(`The PostgreSQL database at ${target()} has no Coachwire tables.`);
    expect(check.stderr).toContain('Fix: run `coachwire db migrate`');
    expect(check.stderr).not.toContain(password);
  });

  it("says the database must be its user's when that user may not create tables there", async () => {
    // A login role with no rights in the test database: as after `createdb` by another user.
    await withRightlessUser(database.url, async (url) => {
      const stranger = cliSandbox({ DATABASE_URL: url });
      const migrate = await stranger.run('db', 'migrate');
      expect(migrate.status).toBe(1);
      expect(migrate.stderr).toContain('permission denied');
      expect(migrate.stderr).toContain('Fix: Check that the database user owns the database (createdb -O');
      expect(migrate.stderr).not.toContain('DATABASE_PATH');
      expect(migrate.stderr).not.toContain(RIGHTLESS_PASSWORD);
    });
  });

  it('names host, port and database of an unreachable server, never the password', async () => {
    const port = await freePort();
    const closed = cliSandbox({ DATABASE_URL: `postgres://coach:s3cret-pw@127.0.0.1:${port}/coachwire` });
    try {
      for (const command of [
        ['db', 'check'],
        ['db', 'migrate'],
        ['charts', 'verify'],
      ]) {
        const result = await closed.run(...command);
        expect(result.status, command.join(' ')).toBe(1);
        expect(result.stderr).toContain(
          `Cannot connect to the PostgreSQL database at 127.0.0.1:${port}/coachwire`,
        );
        expect(result.stderr).toContain('Fix: check database.url (env DATABASE_URL)');
        expect(result.stderr + result.stdout).not.toContain('s3cret-pw');
      }
    } finally {
      closed.remove();
    }
  });

  it('checks integrity and every ledger invariant, and exits 1 when a balance row was tampered with', async () => {
    const coachwire = await openCoachwire(installationConfig(sandbox.dir, database.url));
    try {
      const { markets, points, plans } = coachwire.services;
      await plans.post({ id: '1', name: 'olly' }, { coach: 'd', text: 'SPY 500', tradingDate: '2026-11-19' });
      await points.grant(ADMIN, { guildId: GUILD, idempotencyKey: 'g' }, '2', 300, 'welcome');
      const market = await markets.create(
        ADMIN,
        { guildId: GUILD, idempotencyKey: 'm' },
        { question: 'Rain?', mechanism: 'cpmm', closesAt: new Date(Date.now() + 86_400_000).toISOString() },
      );
      await markets.buy(
        { id: '2', name: 'bettor' },
        { guildId: GUILD, idempotencyKey: 'b' },
        { marketId: market.id, option: 0, points: 40 },
      );
    } finally {
      await coachwire.close();
    }
    const healthy = await sandbox.run('db', 'check');
    expect(healthy.status, healthy.stderr).toBe(0);
    expect(healthy.stdout).toContain('integrity ok');
    expect(healthy.stdout).toMatch(/plans: +1 \(1 live, 0 deleted\)/);
    expect(healthy.stdout).toContain('Ledger: ok');
    expect(healthy.stdout).toContain('checked: 1 position(s) agree with their trades');

    const handle = await openPostgres({ url: database.url, poolSize: 1 });
    try {
      await handle.pool.query("UPDATE accounts SET balance = balance + 5 WHERE key = 'user:2'");
    } finally {
      await handle.close();
    }
    const broken = await sandbox.run('db', 'check');
    expect(broken.status).toBe(1);
    expect(broken.stdout).toContain(`violation: guild ${GUILD}: balances sum to 5, not 0`);
    expect(broken.stdout).toMatch(
      /violation: account user:2 \(guild 4242\): stored \d+, transfers replay to \d+/,
    );
    expect(broken.stderr).toContain('Fix: stop the apps');
  });

  it('backs up with pg_dump in custom format, the password passed through the environment only', async () => {
    const pgDump = findPgDump(process.env);
    expect(pgDump, 'pg_dump ships with the postgresql package the test cluster needs').toBeDefined();
    expect((await sandbox.run('db', 'migrate')).status).toBe(0);
    const backup = await sandbox.run('db', 'backup', 'backups/coachwire.dump');
    const file = join(sandbox.dir, 'backups', 'coachwire.dump');
    expect(backup.status, backup.stderr).toBe(0);
    expect(backup.stdout).toContain(`to ${file} with pg_dump (custom format`);
    expect(backup.stdout + backup.stderr).not.toContain(password);
    expect(statSync(file).size).toBeGreaterThan(0);
    // pg_restore reads the archive back: it is a custom-format dump with Coachwire's tables.
    const list = spawnSync(join(pgDump!, '..', 'pg_restore'), ['--list', file], { encoding: 'utf8' });
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/TABLE public plans/);

    const again = await sandbox.run('db', 'backup', 'backups/coachwire.dump');
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('already exists');
  });

  it('says a backup path below a file cannot be written, with its fix, as on SQLite', async () => {
    expect((await sandbox.run('db', 'migrate')).status).toBe(0);
    writeFileSync(join(sandbox.dir, 'backups'), 'not a directory');
    // mkdir's bare EEXIST came out, with no Fix line.
    const backup = await sandbox.run('db', 'backup', 'backups/coachwire.dump');
    expect(backup.status).toBe(1);
    expect(backup.stderr).toContain(
      `Cannot write the backup to ${join(sandbox.dir, 'backups', 'coachwire.dump')}: ${join(sandbox.dir, 'backups')} is a file, not a directory.`,
    );
    expect(backup.stderr).toContain('Fix: choose another path');
    expect(backup.stderr).not.toContain(password);
  });

  it('gives pg_dump the password in PGPASSWORD, never in its arguments', async () => {
    // A stand-in pg_dump that records what it was given, so the test sees the real invocation.
    const bin = join(sandbox.dir, 'fake-bin');
    mkdirSync(bin);
    const record = join(sandbox.dir, 'invocation.txt');
    writeFileSync(
      join(bin, 'pg_dump'),
      `#!/bin/sh\nprintf '%s\\n' "$@" > '${record}'\necho "PGPASSWORD=$PGPASSWORD" >> '${record}'\n` +
        `for arg in "$@"; do case "$arg" in --file=*) echo dump > "\${arg#--file=}";; esac; done\n`,
    );
    chmodSync(join(bin, 'pg_dump'), 0o755);
    const run = cliSandbox({ DATABASE_URL: database.url, PG_BIN_DIR: bin });
    try {
      const backup = await run.run('db', 'backup', 'copy.dump');
      expect(backup.status, backup.stderr).toBe(0);
      const [args, environment] = readFileSync(record, 'utf8').split('PGPASSWORD=');
      expect(args).toContain('--format=custom');
      expect(args).toContain(`--dbname=postgres://${new URL(database.url).username}@${target()}`);
      expect(args).not.toContain(password);
      expect(environment!.trim()).toBe(password);
    } finally {
      run.remove();
    }
  });

  it('leaves PGPASSWORD from the environment to pg_dump when the URL carries no password', async () => {
    // libpq and the app's own driver both read PGPASSWORD when the URL has none: the backup must too.
    const bin = join(sandbox.dir, 'fake-bin-env');
    mkdirSync(bin);
    const record = join(sandbox.dir, 'invocation-env.txt');
    writeFileSync(
      join(bin, 'pg_dump'),
      `#!/bin/sh\necho "PGPASSWORD=$PGPASSWORD" > '${record}'\n` +
        `for arg in "$@"; do case "$arg" in --file=*) echo dump > "\${arg#--file=}";; esac; done\n`,
    );
    chmodSync(join(bin, 'pg_dump'), 0o755);
    const withoutPassword = new URL(database.url);
    withoutPassword.password = '';
    const run = cliSandbox({ DATABASE_URL: withoutPassword.href, PGPASSWORD: password, PG_BIN_DIR: bin });
    try {
      const backup = await run.run('db', 'backup', 'copy.dump');
      expect(backup.status, backup.stderr).toBe(0);
      expect(readFileSync(record, 'utf8').trim()).toBe(`PGPASSWORD=${password}`);
    } finally {
      run.remove();
    }
  });

  it('leaves nothing under the backup name when pg_dump fails halfway, so the next try is not refused', async () => {
    // A stand-in pg_dump that writes part of the archive, then fails as a dropped connection would.
    const bin = join(sandbox.dir, 'failing-bin');
    mkdirSync(bin);
    writeFileSync(
      join(bin, 'pg_dump'),
      `#!/bin/sh\nfor arg in "$@"; do case "$arg" in --file=*) echo 'PGDMP half' > "\${arg#--file=}";; esac; done\n` +
        `echo 'pg_dump: error: connection to server lost' >&2\nexit 1\n`,
    );
    chmodSync(join(bin, 'pg_dump'), 0o755);
    const run = cliSandbox({ DATABASE_URL: database.url, PG_BIN_DIR: bin });
    try {
      const backup = await run.run('db', 'backup', 'backups/copy.dump');
      expect(backup.status).toBe(1);
      expect(backup.stderr).toContain('connection to server lost');
      expect(readdirSync(join(run.dir, 'backups'))).toEqual([]);
      const again = await run.run('db', 'backup', 'backups/copy.dump');
      expect(again.stderr).not.toContain('already exists');
      expect(again.stderr).toContain('connection to server lost');
    } finally {
      run.remove();
    }
  });

  it('says pg_dump is missing and names the package to install, writing nothing', async () => {
    const empty = join(sandbox.dir, 'no-tools');
    mkdirSync(empty);
    const run = cliSandbox({ DATABASE_URL: database.url, PG_BIN_DIR: empty, PATH: empty });
    try {
      const backup = await run.run('db', 'backup', 'copy.dump');
      expect(backup.status).toBe(1);
      expect(backup.stderr).toContain('pg_dump is not installed');
      expect(backup.stderr).toContain('Fix: install the PostgreSQL client tools');
      expect(backup.stderr).toContain('apt-get install postgresql-client');
      expect(existsSync(join(run.dir, 'copy.dump'))).toBe(false);
    } finally {
      run.remove();
    }
  });

  it('refuses a URL it cannot read before running pg_dump, with the URL fix and without the password', async () => {
    for (const url of [
      'postgres://admin:pw-9f3e@127.0.0.1:notaport/coach',
      'postgres://admin:a/b@c@127.0.0.1/coach',
    ]) {
      const run = cliSandbox({ DATABASE_URL: url });
      try {
        const backup = await run.run('db', 'backup', 'copy.dump');
        expect(backup.status, url).toBe(2);
        expect(backup.stderr, url).toContain('database.url');
        expect(backup.stderr, url).toContain('Fix: Correct database.url (env DATABASE_URL)');
        expect(backup.stderr, url).not.toMatch(/pw-9f3e|a\/b@c/);
        expect(existsSync(join(run.dir, 'copy.dump'))).toBe(false);
      } finally {
        run.remove();
      }
    }
  });
});
