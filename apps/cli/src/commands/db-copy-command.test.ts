import { join } from 'node:path';
import { openCoachwire } from '@coachwire/runtime';
import { openDatabase, openPostgres, tablesInForeignKeyOrder } from '@coachwire/storage';
import { createTestPgDatabase, type TestPgDatabase } from '@coachwire/storage/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CliSandbox, cliSandbox } from '../test-support/cli-run.js';
import { writeLegacySqlite } from '../test-support/legacy-fixtures.js';
import { RIGHTLESS_PASSWORD, withRightlessUser } from '../test-support/pg-roles.js';
import {
  ADMIN,
  GUILD,
  installationConfig,
  populateInstallation,
} from '../test-support/populated-installation.js';
import { freePort } from '../test-support/processes.js';

let sandbox: CliSandbox;
let target: TestPgDatabase;

beforeEach(async () => {
  sandbox = cliSandbox();
  target = await createTestPgDatabase();
});
afterEach(async () => {
  await target.drop();
  sandbox.remove();
});

const tables = tablesInForeignKeyOrder().map((table) => table.name);

/** `coachwire db copy` of the sandbox's SQLite file to `url`, with `options`. */
const copyTo = (url: string, ...options: string[]) =>
  sandbox.run('db', 'copy', '--from', `sqlite:${sandbox.databasePath}`, '--to', url, ...options);

/** How many tables the PostgreSQL database at `url` holds: 0 when a refused copy wrote nothing. */
async function postgresTableCount(url: string): Promise<number> {
  const handle = await openPostgres({ url, poolSize: 1 });
  try {
    const { rows } = await handle.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'",
    );
    return rows[0]!.n;
  } finally {
    await handle.close();
  }
}

/** Runs `statement` with `values` on the sandbox's SQLite file, as an older or damaged installation holds it. */
function editSqlite(statement: string, ...values: unknown[]): void {
  const handle = openDatabase({ path: sandbox.databasePath });
  try {
    handle.sqlite.prepare(statement).run(...values);
  } finally {
    handle.close();
  }
}

function sqliteCounts(path: string): Record<string, number> {
  const handle = openDatabase({ path, readonly: true });
  try {
    return Object.fromEntries(
      tables.map((table) => [
        table,
        (handle.sqlite.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n,
      ]),
    );
  } finally {
    handle.close();
  }
}

async function postgresCounts(url: string): Promise<Record<string, number>> {
  const handle = await openPostgres({ url, poolSize: 1 });
  try {
    const counts: Record<string, number> = {};
    for (const table of tables)
      counts[table] = (await handle.pool.query(`SELECT count(*)::int AS n FROM "${table}"`)).rows[0].n;
    return counts;
  } finally {
    await handle.close();
  }
}

describe('coachwire db copy', () => {
  it('copies every row of a populated installation, verified, and PostgreSQL then hands out fresh ids', async () => {
    await populateInstallation(installationConfig(sandbox.dir));
    const before = sqliteCounts(sandbox.databasePath);
    for (const table of ['plans', 'charts', 'plan_revisions', 'events', 'markets', 'trades', 'transfers'])
      expect(before[table], table).toBeGreaterThan(0);
    expect(before.trades).toBe(10); // nine buys and a sell
    expect(before.plans).toBe(5); // one of them deleted

    const copy = await sandbox.run('db', 'copy', '--from', 'sqlite:data/coach_plans.db', '--to', target.url);
    expect(copy.stderr).toBe('');
    expect(copy.status).toBe(0);
    expect(copy.stdout).toMatch(new RegExp(`^ {2}plans +${before.plans}$`, 'm'));
    expect(copy.stdout).toMatch(new RegExp(`^ {2}events +${before.events}$`, 'm'));
    expect(copy.stdout).toContain('checked: balances sum to 0');
    expect(copy.stdout).not.toContain(new URL(target.url).password);
    expect(await postgresCounts(target.url)).toEqual(before);

    const check = await cliSandbox({ DATABASE_URL: target.url }).run('db', 'check');
    expect(check.status, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toContain('integrity ok');
    expect(check.stdout).toContain('Ledger: ok');

    // New writes on PostgreSQL get ids after the copied ones (the identity sequences were moved on).
    const coachwire = await openCoachwire(installationConfig(sandbox.dir, target.url));
    try {
      const { plan } = await coachwire.services.plans.post(
        { id: '1', name: 'olly' },
        { coach: 'i', text: 'first plan on PostgreSQL', tradingDate: '2026-11-21' },
      );
      expect(plan.id).toBe(before.plans! + 1);
      const market = await coachwire.services.markets.create(
        ADMIN,
        { guildId: GUILD, idempotencyKey: 'after-copy' },
        { question: 'Fresh?', mechanism: 'cpmm', closesAt: new Date(Date.now() + 86_400_000).toISOString() },
      );
      expect(market.id).toBe(before.markets! + 1);
      expect(await coachwire.store.eventLog.latestEventId()).toBeGreaterThan(before.events!);
      expect((await coachwire.store.checkLedger()).ok).toBe(true);
    } finally {
      await coachwire.close();
    }
  });

  it('names the rows whose text holds NUL characters, writes nothing, and stores them as U+FFFD when told', async () => {
    await populateInstallation(installationConfig(sandbox.dir));
    // SQLite kept U+0000 (until core refused it); PostgreSQL's text cannot hold it. The copy failed half-way
    // with PostgreSQL's encoding error and a Fix about the database's owner.
    editSqlite('UPDATE plans SET text = ? WHERE id = 1', 'levels\u0000 5000');
    editSqlite('UPDATE markets SET question = ? WHERE id = 1', 'Q\u0000?');
    const before = sqliteCounts(sandbox.databasePath);

    const refused = await copyTo(target.url);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('NUL characters (U+0000)');
    expect(refused.stderr).toContain('markets.question (id 1), plans.text (id 1)');
    expect(refused.stderr).toContain('Nothing was written');
    expect(refused.stderr).toContain('Fix: copy again with --replace-nul');
    expect(await postgresTableCount(target.url)).toBe(0);

    const copy = await copyTo(target.url, '--replace-nul');
    expect(copy.stderr).toBe('');
    expect(copy.status).toBe(0);
    expect(copy.stdout).toContain(
      'Stored NUL characters (U+0000) as U+FFFD in markets.question (id 1), plans.text (id 1).',
    );
    expect(await postgresCounts(target.url)).toEqual(before);
    const copied = await openPostgres({ url: target.url, poolSize: 1 });
    try {
      expect((await copied.pool.query('SELECT text FROM plans WHERE id = 1')).rows[0].text).toBe(
        'levels\uFFFD 5000',
      );
      expect((await copied.pool.query('SELECT question FROM markets WHERE id = 1')).rows[0].question).toBe(
        'Q\uFFFD?',
      );
    } finally {
      await copied.close();
    }
  });

  it('refuses a source that fails db check, naming its problems, instead of copying altered text', async () => {
    await populateInstallation(installationConfig(sandbox.dir));
    // An unpaired surrogate as an old version stored it (ED A0 80): the driver reads it as U+FFFD three
    // times, so the copy "verified" and committed text that differs from the source.
    editSqlite("UPDATE markets SET question = CAST(x'71eda0803f' AS TEXT) WHERE id = 1");

    const copy = await copyTo(target.url);
    expect(copy.status).toBe(1);
    expect(copy.stderr).toContain('The SQLite file fails its integrity check');
    expect(copy.stderr).toContain('markets.question is not valid UTF-8 in 1 row(s): rowid 1');
    expect(copy.stderr).toContain('Nothing was written');
    expect(copy.stderr).toContain('Fix: correct the rows named (or delete them) with the sqlite3 shell');
    expect(copy.stderr).not.toContain(new URL(target.url).password);
    expect(await postgresTableCount(target.url)).toBe(0);
  });

  it('refuses a target that already holds rows, names the table, and leaves it unchanged', async () => {
    await populateInstallation(installationConfig(sandbox.dir));
    const coachwire = await openCoachwire(installationConfig(sandbox.dir, target.url));
    try {
      await coachwire.services.plans.post(
        { id: '7', name: 'existing' },
        { coach: 'd', text: 'already here', tradingDate: '2026-11-19' },
      );
    } finally {
      await coachwire.close();
    }
    const existing = await postgresCounts(target.url);

    const copy = await copyTo(target.url);
    expect(copy.status).toBe(1);
    expect(copy.stderr).toContain('already holds rows (in events, plans)');
    expect(copy.stderr).toContain('Nothing was written');
    expect(copy.stderr).toContain("Fix: copy into a new, empty database owned by the --to URL's user");
    expect(copy.stderr).toContain('createdb -O USER NAME');
    expect(await postgresCounts(target.url)).toEqual(existing);
  });

  it('says a target whose tables were dropped by hand must be created again, not re-owned', async () => {
    await populateInstallation(installationConfig(sandbox.dir));
    const migrated = await openCoachwire(installationConfig(sandbox.dir, target.url));
    await migrated.close();
    const admin = await openPostgres({ url: target.url, poolSize: 1 });
    try {
      // What "drop the tables and copy again" leaves: the migrations' record in the drizzle schema.
      await admin.pool.query('DROP TABLE "trades", "positions" CASCADE');
    } finally {
      await admin.close();
    }
    const copy = await copyTo(target.url);
    expect(copy.status).toBe(1);
    expect(copy.stderr).toContain(
      "records Coachwire's migrations but lacks some of its tables (dropped by hand?)",
    );
    expect(copy.stderr).toContain('Nothing was written.');
    expect(copy.stderr).toContain('Fix: copy into a new, empty database');
    expect(copy.stderr).toContain('dropdb NAME && createdb -O USER NAME');
    expect(copy.stderr).not.toContain('Check that the database user owns');
  });

  it("says the target must be its user's when that user may not create tables there, and writes nothing", async () => {
    await populateInstallation(installationConfig(sandbox.dir));
    await withRightlessUser(target.url, async (url) => {
      const copy = await copyTo(url);
      expect(copy.status).toBe(1);
      expect(copy.stderr).toContain('permission denied');
      expect(copy.stderr).toContain('Fix: Check that the database user owns the database (createdb -O');
      expect(copy.stderr).not.toContain(RIGHTLESS_PASSWORD);
    });
    expect(await postgresTableCount(target.url)).toBe(0);
  });

  it('explains a wrong scheme, a missing file and an unreachable server, never printing the password', async () => {
    await populateInstallation(installationConfig(sandbox.dir));
    const from = `sqlite:${sandbox.databasePath}`;

    const wrongFrom = await sandbox.run('db', 'copy', '--from', sandbox.databasePath, '--to', target.url);
    expect(wrongFrom.status).toBe(2);
    expect(wrongFrom.stderr).toContain('--from must name a SQLite file as sqlite:PATH');
    expect(wrongFrom.stderr).toContain('Fix: e.g. coachwire db copy --from sqlite:');

    // The old Python system's file: its plans come in through import, which the Fix names (the URL is not shown).
    const legacy = join(sandbox.dir, 'legacy.db');
    writeLegacySqlite(legacy);
    const fromLegacy = await sandbox.run('db', 'copy', '--from', `sqlite:${legacy}`, '--to', target.url);
    expect(fromLegacy.status).toBe(2);
    expect(fromLegacy.stderr).toContain(`${legacy} is the old Python system's database`);
    expect(fromLegacy.stderr).toContain(
      `Fix: import its plans into PostgreSQL directly: DATABASE_URL='<the --to URL>' coachwire import ${legacy}`,
    );
    expect(fromLegacy.stderr).not.toContain(new URL(target.url).password);

    // The two swapped: the URL given as --from is shown without its password, and the Fix says which is which.
    const swapped = await sandbox.run('db', 'copy', '--from', target.url, '--to', from);
    expect(swapped.status).toBe(2);
    expect(swapped.stderr).toContain('--from must name a SQLite file as sqlite:PATH');
    expect(swapped.stderr).toContain('Fix: --from takes the SQLite file and --to the PostgreSQL database');
    expect(new URL(target.url).password).not.toBe('');
    expect(swapped.stderr).not.toContain(new URL(target.url).password);

    const wrongTo = await sandbox.run('db', 'copy', '--from', from, '--to', 'mysql://u:hunter2@h/db');
    expect(wrongTo.status).toBe(2);
    expect(wrongTo.stderr).toContain('--to must be a postgres:// or postgresql:// URL');
    expect(wrongTo.stderr).not.toContain('hunter2');

    // The SQLite file given as the target reads as itself, with which option takes what.
    const fileAsTarget = await sandbox.run('db', 'copy', '--from', from, '--to', './copy.db');
    expect(fileAsTarget.status).toBe(2);
    expect(fileAsTarget.stderr).toContain(
      '--to must be a postgres:// or postgresql:// URL (got "./copy.db").',
    );
    expect(fileAsTarget.stderr).toContain(
      'Fix: --to takes the PostgreSQL database and --from the SQLite file',
    );
    const secretish = await sandbox.run('db', 'copy', '--from', from, '--to', 'host=h password=hunter2');
    expect(secretish.status).toBe(2);
    expect(secretish.stderr).not.toContain('hunter2');

    const missing = await sandbox.run('db', 'copy', '--from', 'sqlite:nowhere.db', '--to', target.url);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain(`No SQLite database at ${sandbox.dir}/nowhere.db`);
    expect(missing.stderr).toContain('Fix:');

    const closed = `postgres://coach:s3cret-pw@127.0.0.1:${await freePort()}/coachwire`;
    const unreachable = await sandbox.run('db', 'copy', '--from', from, '--to', closed);
    expect(unreachable.status).toBe(1);
    expect(unreachable.stderr).toMatch(
      /Cannot connect to the PostgreSQL database at 127\.0\.0\.1:\d+\/coachwire/,
    );
    expect(unreachable.stderr).toContain('Fix: check the --to URL');
    expect(unreachable.stderr + unreachable.stdout).not.toContain('s3cret-pw');

    const usage = await sandbox.run('db', 'copy', '--from', from);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain("required option '--to <url>' not specified");
  });

  it('says an empty --to is an unset DATABASE_URL, and how to write a password holding / # % in the URL', async () => {
    await populateInstallation(installationConfig(sandbox.dir));
    const from = `sqlite:${sandbox.databasePath}`;

    // `--to "$DATABASE_URL"` where it is not set.
    const empty = await sandbox.run('db', 'copy', '--from', from, '--to', '');
    expect(empty.status).toBe(2);
    expect(empty.stderr).toContain('--to is empty: is DATABASE_URL set in this shell?');
    expect(empty.stderr).toContain('Fix: export DATABASE_URL=postgres://');

    // As `openssl rand -base64` makes them, unencoded: a usage error (exit 2) saying to percent-encode it,
    // not a connection failure that sends the operator to check the server.
    const port = await freePort();
    for (const password of ['Xq9/Zr7+k=', 'Xq9#Zr7', 'Xq9%Zr7', 'Xq9@localhost/Zr7']) {
      const copy = await sandbox.run(
        'db',
        'copy',
        '--from',
        from,
        '--to',
        `postgres://coach:${password}@127.0.0.1:${port}/coachwire`,
      );
      expect(copy.status, password).toBe(2);
      expect(copy.stderr).toContain('must be percent-encoded in the URL (e.g. / as %2F');
      expect(copy.stderr).toContain('Fix: correct the --to URL');
      expect(copy.stderr).not.toContain('server must be running');
      expect(copy.stderr + copy.stdout).not.toMatch(/Xq9|Zr7|localhost/);
    }

    // The same password, percent-encoded, is read as meant (and the target's own password works).
    const url = new URL(target.url);
    const encoded = await sandbox.run(
      'db',
      'copy',
      '--from',
      from,
      '--to',
      `postgres://${url.username}:${encodeURIComponent(decodeURIComponent(url.password))}@${url.host}${url.pathname}`,
    );
    expect(encoded.stderr).toBe('');
    expect(encoded.status).toBe(0);

    // DATABASE_URL itself, for every other command.
    const check = await cliSandbox({
      DATABASE_URL: `postgres://coach:Xq9#Zr7@127.0.0.1:${port}/coachwire`,
    }).run('db', 'check');
    expect(check.status).toBe(2);
    expect(check.stderr).toContain('must be percent-encoded');
    expect(check.stderr).toContain('Fix: Correct database.url (env DATABASE_URL) to the form postgres://');
    expect(check.stderr).not.toMatch(/Xq9|Zr7/);
  });
});
