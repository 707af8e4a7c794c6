import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { MIGRATIONS_FOLDER, migrateDatabase } from '../migrate.js';
import { SqlitePlanRepository } from '../plans/sqlite-plan-repository.js';
import {
  migratePostgres,
  PG_MIGRATIONS_FOLDER,
  PG_MIGRATIONS_SCHEMA,
  PG_MIGRATIONS_TABLE,
} from '../postgres/pg-migrate.js';
import { openPostgresStore } from '../postgres/pg-store.js';
import { createTestPgDatabase, type TestPgDatabase } from '../test-support/pg-test-database.js';
import { migratedTempDatabase, planDraft } from '../test-support/temp-database.js';

// A market opened through the API on a plan was stored without the plan's coach, so the bot's coach scoreboard
// missed it. A migration fills the coach in from the plan, on a database as the previous release left it: all
// migrations applied up to that one (the records of it and of those after it are removed, and what the later
// ones added is dropped, so the migrator runs them all again).

/** The `created_at` drizzle records for a migration: its journal time. */
function migrationTime(folder: string, tag: string): number {
  const journal = JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')) as {
    entries: { tag: string; when: number }[];
  };
  const index = journal.entries.findIndex((entry) => entry.tag === tag);
  expect(index, tag).toBeGreaterThanOrEqual(0);
  return journal.entries[index]!.when;
}

/** How many migrations of a folder were recorded at or after `since`. */
function migrationsSince(folder: string, since: number): number {
  const journal = JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')) as {
    entries: { when: number }[];
  };
  return journal.entries.filter((entry) => entry.when >= since).length;
}

/** What the migrations after the backfill added (0007 / pg 0005, the bot's claim): dropped to undo them. */
const UNDO_LATER_MIGRATIONS = [
  'ALTER TABLE bot_status DROP COLUMN instance_id',
  'ALTER TABLE bot_status DROP COLUMN host',
  'ALTER TABLE bot_status DROP COLUMN pid',
];

const MARKET_COLUMNS = `guild_id, question, mechanism, weight, subsidy, subsidy_payer, creator_id, creator_name,
  created_at, closes_at, status, plan_id, coach_id`;
/** A call on plan 1 stored without its coach, one with it, and a market on no plan. */
const MARKET_ROWS = `('g', 'Call?', 'cpmm', 500000000, 100, 'house', 'api-key:trader', 'trader', '2026-03-02T14:00:00.000Z', '2026-03-02T21:00:00.000Z', 'open', 1, NULL),
  ('g', 'Bot call?', 'cpmm', 500000000, 100, 'house', 'bot', 'bot', '2026-03-02T14:00:00.000Z', '2026-03-02T21:00:00.000Z', 'open', 1, 'i'),
  ('g', 'Rain?', 'pool', 0, 0, 'creator', 'u1', 'zoe', '2026-03-02T14:00:00.000Z', '2026-03-02T21:00:00.000Z', 'open', NULL, NULL)`;
const EXPECTED = [
  { question: 'Call?', coach: 'd' },
  { question: 'Bot call?', coach: 'i' },
  { question: 'Rain?', coach: null },
];

let pg: TestPgDatabase | undefined;
afterEach(async () => {
  await pg?.drop();
  pg = undefined;
});

it("fills in the plan's coach of a market on a plan stored without one, on SQLite", async () => {
  const database = await migratedTempDatabase();
  try {
    const { handle } = database;
    await new SqlitePlanRepository(handle).insert(planDraft({ coach: 'd' }));
    handle.sqlite.prepare(`INSERT INTO markets (${MARKET_COLUMNS}) VALUES ${MARKET_ROWS}`).run();
    const since = migrationTime(MIGRATIONS_FOLDER, '0006_market_coach_backfill');
    handle.sqlite.prepare('DELETE FROM __drizzle_migrations WHERE created_at >= ?').run(since);
    for (const statement of UNDO_LATER_MIGRATIONS) handle.sqlite.exec(statement);

    expect((await migrateDatabase(handle)).applied).toBe(migrationsSince(MIGRATIONS_FOLDER, since));
    expect(
      handle.sqlite.prepare('SELECT question, coach_id AS coach FROM markets ORDER BY id').all(),
    ).toEqual(EXPECTED);
  } finally {
    database.dispose();
  }
});

it("fills in the plan's coach of a market on a plan stored without one, on PostgreSQL", async () => {
  pg = await createTestPgDatabase();
  const store = await openPostgresStore({ url: pg.url, poolSize: 2 });
  try {
    await store.plans.insert(planDraft({ coach: 'd' }));
    const { pool } = store.handle;
    await pool.query(`INSERT INTO markets (${MARKET_COLUMNS}) VALUES ${MARKET_ROWS}`);
    const migrations = `"${PG_MIGRATIONS_SCHEMA}"."${PG_MIGRATIONS_TABLE}"`;
    const since = migrationTime(PG_MIGRATIONS_FOLDER, '0004_market_coach_backfill');
    await pool.query(`DELETE FROM ${migrations} WHERE created_at >= $1`, [since]);
    for (const statement of UNDO_LATER_MIGRATIONS) await pool.query(statement);

    expect((await migratePostgres(store.handle)).applied).toBe(migrationsSince(PG_MIGRATIONS_FOLDER, since));
    const { rows } = await pool.query('SELECT question, coach_id AS coach FROM markets ORDER BY id');
    expect(rows).toEqual(EXPECTED);
  } finally {
    await store.close();
  }
});
