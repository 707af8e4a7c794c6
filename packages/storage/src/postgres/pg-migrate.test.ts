import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { committedMigrations } from '../migrate.js';
import { SchemaTooNewError } from '../storage-errors.js';
import { createTestPgDatabase, type TestPgDatabase } from '../test-support/pg-test-database.js';
import { openPostgres, type PgHandle } from './pg-database.js';
import { migratePostgres, PG_MIGRATIONS_FOLDER, postgresMigrationState } from './pg-migrate.js';

const MIGRATION_COUNT = (
  JSON.parse(readFileSync(join(PG_MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as {
    entries: unknown[];
  }
).entries.length;

let database: TestPgDatabase;
let handle: PgHandle | undefined;
beforeEach(async () => {
  database = await createTestPgDatabase();
});
afterEach(async () => {
  await handle?.close();
  handle = undefined;
  await database.drop();
});

async function migrationRows(h: PgHandle): Promise<number> {
  const { rows } = await h.pool.query<{ n: number }>(
    'SELECT count(*) AS n FROM drizzle.__drizzle_migrations',
  );
  return rows[0]!.n;
}

describe('migratePostgres', () => {
  it('creates every table on an empty database, and a second run changes nothing', async () => {
    handle = await openPostgres({ url: database.url, poolSize: 2 });
    expect(await migratePostgres(handle)).toEqual({ applied: MIGRATION_COUNT, total: MIGRATION_COUNT });
    const { rows } = await handle.pool.query<{ name: string }>(
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
    );
    expect(rows.map((row) => row.name)).toEqual([
      'accounts',
      'audit_log',
      'bot_status',
      'charts',
      'events',
      'idempotency_keys',
      'market_messages',
      'market_options',
      'markets',
      'member_names',
      'plan_revisions',
      'plans',
      'positions',
      'trades',
      'transfers',
    ]);
    expect(await migratePostgres(handle)).toEqual({ applied: 0, total: MIGRATION_COUNT });
    expect(await migrationRows(handle)).toBe(MIGRATION_COUNT);
  });

  it('refuses a database a newer release migrated, leaving it as it was', async () => {
    handle = await openPostgres({ url: database.url, poolSize: 2 });
    await migratePostgres(handle);
    // What a newer release leaves: a migration recorded after every one this release has.
    const { newest } = committedMigrations(PG_MIGRATIONS_FOLDER);
    await handle.pool.query('INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ($1, $2)', [
      'a-newer-release',
      newest + 1,
    ]);

    const failure = await migratePostgres(handle).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SchemaTooNewError);
    expect((failure as Error).message).toContain(
      'was migrated by a newer Coachwire release: 1 of its migrations is unknown to this one',
    );
    await expect(postgresMigrationState(handle)).rejects.toBeInstanceOf(SchemaTooNewError);
    expect(await migrationRows(handle)).toBe(MIGRATION_COUNT + 1);
  });

  it('keeps the ledger and trade log append-only and events update-proof, like SQLite', async () => {
    handle = await openPostgres({ url: database.url, poolSize: 2 });
    await migratePostgres(handle);
    await handle.pool.query(
      "INSERT INTO events (domain, type, payload, occurred_at) VALUES ('plan', 'plan.created', '{}', '2025-01-01T00:00:00.000Z')",
    );
    await expect(handle.pool.query('UPDATE events SET payload = \'{"x":1}\'')).rejects.toThrow(
      /events are append-only/,
    );
    await handle.pool.query(
      `INSERT INTO accounts (guild_id, key, kind, created_at) VALUES
         ('g', 'house', 'house', '2025-01-01T00:00:00.000Z'), ('g', 'user:u', 'user', '2025-01-01T00:00:00.000Z')`,
    );
    await handle.pool.query(
      `INSERT INTO transfers (guild_id, from_account_id, to_account_id, amount, kind, created_at)
       VALUES ('g', 1, 2, 100, 'grant', '2025-01-01T00:00:00.000Z')`,
    );
    await expect(handle.pool.query('UPDATE transfers SET amount = 1')).rejects.toThrow(
      /transfers are append-only/,
    );
    await expect(handle.pool.query('DELETE FROM transfers')).rejects.toThrow(/transfers are append-only/);
    await expect(handle.pool.query('TRUNCATE trades')).rejects.toThrow(/trades are append-only/);
    // Retention pruning deletes events.
    expect((await handle.pool.query('DELETE FROM events')).rowCount).toBe(1);
  });

  it('lets three processes migrate one fresh database at the same moment', async () => {
    const script = fileURLToPath(new URL('../test-support/pg-migrator.ts', import.meta.url));
    const children = Array.from({ length: 3 }, () => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@coachwire/source', script], {
        env: { ...process.env, COACHWIRE_TEST_PG_MIGRATE_URL: database.url },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
      });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
      });
      const ready = new Promise<void>((resolve, reject) => {
        child.stdout.on('data', () => {
          if (stdout.includes('ready\n')) resolve();
        });
        child.on('exit', () => reject(new Error(`migrator exited before it was ready: ${stderr}`)));
      });
      const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        child.on('exit', (code) => resolve({ code, stdout, stderr }));
      });
      return { child, ready, exited };
    });
    await Promise.all(children.map((entry) => entry.ready));
    for (const { child } of children) child.stdin.write('go\n');
    const results = await Promise.all(children.map((entry) => entry.exited));
    for (const result of results) expect(result, result.stderr).toMatchObject({ code: 0 });
    const outcomes = results.map(
      (result) =>
        JSON.parse(result.stdout.split('\n').filter(Boolean).at(-1)!) as { applied: number; total: number },
    );
    expect(outcomes.map((outcome) => outcome.total)).toEqual([
      MIGRATION_COUNT,
      MIGRATION_COUNT,
      MIGRATION_COUNT,
    ]);
    expect(outcomes.map((outcome) => outcome.applied).sort()).toEqual([0, 0, MIGRATION_COUNT]);
    handle = await openPostgres({ url: database.url, poolSize: 1 });
    expect(await migrationRows(handle)).toBe(MIGRATION_COUNT);
  });
});
