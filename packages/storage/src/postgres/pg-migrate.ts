import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type pg from 'pg';
import { committedMigrations, type MigrationResult } from '../migrate.js';
import { PG_MIGRATIONS_FOLDER } from '../pg-migrations-folder.js';
import { SchemaTooNewError } from '../storage-errors.js';
import type { PgHandle } from './pg-database.js';
import { PG_LOCK_KEYS } from './pg-lock-keys.js';

export { PG_MIGRATIONS_FOLDER };

export const PG_MIGRATIONS_SCHEMA = 'drizzle';
export const PG_MIGRATIONS_TABLE = '__drizzle_migrations';

/** How long an instance waits for another's migration before giving up (a hung migrator must not hang us). */
const LOCK_TIMEOUT = '120s';

/**
 * Brings the PostgreSQL schema up to date with the committed migrations.
 *
 * Every API replica and the bot call this at start, possibly at the same moment. drizzle's migrator reads
 * the last applied migration before its transaction and creates its own schema without a lock, so two
 * unguarded migrators would both apply 0000 (one failing on "already exists"). A session advisory lock on
 * one dedicated connection makes them take turns: the second finds everything applied and does nothing.
 * The connection is discarded afterwards, which also drops the lock and the session's lock_timeout. A database
 * a newer release migrated is refused (SchemaTooNewError) and left as it was.
 */
export async function migratePostgres(handle: PgHandle): Promise<MigrationResult> {
  // Its own connection, without the statement and query timeouts of the pool: a migration may rebuild a big
  // table, and waiting for another instance's migration is bounded by lock_timeout instead.
  const client = handle.newClient({ statement_timeout: 0, query_timeout: 0 });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw handle.toError('connect to', error);
  }
  try {
    await client.query(`SET lock_timeout = '${LOCK_TIMEOUT}'`);
    await client.query('SELECT pg_advisory_lock($1)', [PG_LOCK_KEYS.migrate]);
    await refuseNewerSchema(client, handle.location);
    const before = await appliedCount(client);
    await migrate(drizzle(client), {
      migrationsFolder: PG_MIGRATIONS_FOLDER,
      migrationsSchema: PG_MIGRATIONS_SCHEMA,
      migrationsTable: PG_MIGRATIONS_TABLE,
    });
    const total = await appliedCount(client);
    await client.query('SELECT pg_advisory_unlock($1)', [PG_LOCK_KEYS.migrate]);
    const applied = total - before;
    if (applied > 0) handle.logger?.info({ database: handle.location, applied }, 'migrations applied');
    return { applied, total };
  } catch (error) {
    if (error instanceof SchemaTooNewError) throw error;
    throw handle.toError('migrate', error);
  } finally {
    // Closing the connection releases the lock even when the migration failed half-way.
    await client.end().catch(() => undefined);
  }
}

/**
 * How many of the committed migrations the database has (`applied`) out of `total`, without changing it:
 * commands that work on an existing installation refuse one that is not migrated rather than migrate it. A
 * database a newer release migrated is refused (SchemaTooNewError).
 */
export async function postgresMigrationState(handle: PgHandle): Promise<MigrationResult> {
  const { total } = committedMigrations(PG_MIGRATIONS_FOLDER);
  let client: pg.PoolClient;
  try {
    client = await handle.pool.connect();
  } catch (error) {
    throw handle.toError('connect to', error);
  }
  try {
    await refuseNewerSchema(client, handle.location);
    return { applied: await appliedCount(client), total };
  } catch (error) {
    if (error instanceof SchemaTooNewError) throw error;
    throw handle.toError('read', error);
  } finally {
    client.release();
  }
}

/**
 * Refuses a database a newer release has migrated: drizzle's migrator would apply nothing to it and report
 * success, and this release's statements would then run on a schema they do not know.
 */
async function refuseNewerSchema(client: pg.ClientBase, location: string): Promise<void> {
  const table = `${PG_MIGRATIONS_SCHEMA}.${PG_MIGRATIONS_TABLE}`;
  const exists = await client.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [
    table,
  ]);
  if (!exists.rows[0]?.found) return;
  const { newest } = committedMigrations(PG_MIGRATIONS_FOLDER);
  const { rows } = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${table} WHERE created_at > $1`,
    [newest],
  );
  const unknown = rows[0]?.n ?? 0;
  if (unknown > 0) throw new SchemaTooNewError(location, unknown);
}

async function appliedCount(client: pg.ClientBase): Promise<number> {
  const table = `${PG_MIGRATIONS_SCHEMA}.${PG_MIGRATIONS_TABLE}`;
  const exists = await client.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [
    table,
  ]);
  if (!exists.rows[0]?.found) return 0;
  const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0]?.n ?? 0;
}
