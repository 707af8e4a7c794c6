import type { QueryResultRow } from 'pg';
import type { IntegrityReport } from './maintenance.js';
import type { PgHandle } from './postgres/pg-database.js';

/** Checks that the server answers a query; rejects with STORAGE_UNAVAILABLE naming it if it does not. */
export async function pingPostgres(handle: PgHandle): Promise<void> {
  try {
    await handle.pool.query('SELECT 1');
  } catch (error) {
    throw handle.toError('read', error);
  }
}

/** Number of plans stored: live ones, or every row with `includeDeleted`. */
export async function countPlansPg(
  handle: PgHandle,
  options: { includeDeleted?: boolean } = {},
): Promise<number> {
  try {
    const { rows } = await handle.pool.query<{ n: number }>(
      options.includeDeleted
        ? 'SELECT count(*)::int AS n FROM plans'
        : 'SELECT count(*)::int AS n FROM plans WHERE deleted_at IS NULL',
    );
    return rows[0]?.n ?? 0;
  } catch (error) {
    throw handle.toError('read', error);
  }
}

/**
 * Checks PostgreSQL can make that SQLite's PRAGMAs made: every constraint is validated (a NOT VALID one
 * may hide rows that break it), every index is valid (a failed CREATE INDEX CONCURRENTLY leaves an invalid
 * one), the append-only triggers are in place and enabled, and no row points at a missing parent (foreign
 * keys enforce this, so a hit means a key was dropped or disabled). Page checksums and heap corruption are
 * the server's own business (amcheck, data checksums); text is always valid UTF-8 in a UTF8 database.
 */
export async function integrityCheckPg(handle: PgHandle): Promise<IntegrityReport> {
  try {
    const messages: string[] = [];
    const query = async <Row extends object>(text: string) =>
      (await handle.pool.query<Row & QueryResultRow>(text)).rows;
    for (const row of await query<{ name: string; table: string }>(
      `SELECT conname AS name, conrelid::regclass::text AS table FROM pg_constraint
       WHERE connamespace = 'public'::regnamespace AND NOT convalidated`,
    )) {
      messages.push(`constraint ${row.name} on ${row.table} is not validated`);
    }
    for (const row of await query<{ name: string }>(
      `SELECT indexrelid::regclass::text AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
       WHERE c.relnamespace = 'public'::regnamespace AND NOT (i.indisvalid AND i.indisready)`,
    )) {
      messages.push(`index ${row.name} is invalid; rebuild it with REINDEX`);
    }
    const expectedTriggers = [
      'transfers_append_only_update',
      'transfers_append_only_delete',
      'transfers_append_only_truncate',
      'trades_append_only_update',
      'trades_append_only_delete',
      'trades_append_only_truncate',
      'events_append_only_update',
    ];
    const triggers = await query<{ name: string; enabled: string }>(
      `SELECT tgname AS name, tgenabled AS enabled FROM pg_trigger WHERE NOT tgisinternal`,
    );
    for (const name of expectedTriggers) {
      const trigger = triggers.find((row) => row.name === name);
      if (!trigger) messages.push(`trigger ${name} is missing`);
      else if (trigger.enabled === 'D') messages.push(`trigger ${name} is disabled`);
    }
    const orphanChecks: [string, string][] = [
      [
        'charts',
        'SELECT count(*)::int AS n FROM charts c LEFT JOIN plans p ON p.id = c.plan_id WHERE p.id IS NULL',
      ],
      [
        'plan_revisions',
        'SELECT count(*)::int AS n FROM plan_revisions r LEFT JOIN plans p ON p.id = r.plan_id WHERE p.id IS NULL',
      ],
      [
        'market_options',
        'SELECT count(*)::int AS n FROM market_options o LEFT JOIN markets m ON m.id = o.market_id WHERE m.id IS NULL',
      ],
      [
        'positions',
        'SELECT count(*)::int AS n FROM positions o LEFT JOIN markets m ON m.id = o.market_id WHERE m.id IS NULL',
      ],
      [
        'trades',
        'SELECT count(*)::int AS n FROM trades o LEFT JOIN markets m ON m.id = o.market_id WHERE m.id IS NULL',
      ],
      [
        'market_messages',
        'SELECT count(*)::int AS n FROM market_messages o LEFT JOIN markets m ON m.id = o.market_id WHERE m.id IS NULL',
      ],
      [
        'transfers',
        `SELECT count(*)::int AS n FROM transfers t
         WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = t.from_account_id)
            OR NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = t.to_account_id)`,
      ],
    ];
    for (const [table, text] of orphanChecks) {
      const n = (await query<{ n: number }>(text))[0]?.n ?? 0;
      if (n > 0) messages.push(`${n} ${table} row(s) refer to a missing parent row`);
    }
    const [counts] = await query<IntegrityReport['counts']>(
      `SELECT (SELECT count(*)::int FROM plans) AS plans, (SELECT count(*)::int FROM charts) AS charts,
              (SELECT count(*)::int FROM plan_revisions) AS revisions,
              (SELECT count(*)::int FROM events WHERE domain = 'plan') AS events`,
    );
    return {
      ok: messages.length === 0,
      messages,
      counts: counts ?? { plans: 0, charts: 0, revisions: 0, events: 0 },
    };
  } catch (error) {
    throw handle.toError('check', error);
  }
}
