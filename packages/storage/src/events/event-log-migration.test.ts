import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openDatabase } from '../database.js';
import { MIGRATIONS_FOLDER, migrateDatabase } from '../migrate.js';
import { SqlitePlanRepository } from '../plans/sqlite-plan-repository.js';
import { tempDir } from '../test-support/temp-database.js';

let temp: ReturnType<typeof tempDir>;
beforeEach(() => {
  temp = tempDir();
});
afterEach(() => temp.remove());

/** A migrations folder holding only the first migration: a database as the previous release left it. */
function firstMigrationOnly(): string {
  const folder = join(temp.dir, 'migrations-0000');
  mkdirSync(join(folder, 'meta'), { recursive: true });
  cpSync(join(MIGRATIONS_FOLDER, '0000_init.sql'), join(folder, '0000_init.sql'));
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8'));
  journal.entries = journal.entries.slice(0, 1);
  writeFileSync(join(folder, 'meta', '_journal.json'), JSON.stringify(journal));
  return folder;
}

it('keeps every plan event id, and the id high-water mark, when the plan event table becomes the event log', async () => {
  const handle = openDatabase({ path: join(temp.dir, 'old.sqlite') });
  migrate(handle.db, { migrationsFolder: firstMigrationOnly(), migrationsTable: '__drizzle_migrations' });
  const insert = handle.sqlite.prepare(
    'INSERT INTO plan_events (id, type, plan_id, payload, occurred_at) VALUES (?, ?, ?, ?, ?)',
  );
  for (const [id, type] of [
    [3, 'plan.created'],
    [7, 'plan.updated'],
    [12, 'plan.deleted'],
  ] as const) {
    insert.run(
      id,
      type,
      1,
      JSON.stringify({ id: 1, coach: 'd', tradingDate: '2026-11-20' }),
      '2026-11-20T15:00:00.000Z',
    );
  }
  // An id handed out and then lost (as if the newest row had been removed) must never be reused.
  handle.sqlite.prepare("UPDATE sqlite_sequence SET seq = 20 WHERE name = 'plan_events'").run();

  const later = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')).entries;
  expect((await migrateDatabase(handle)).applied).toBe(later.length - 1);
  const repository = new SqlitePlanRepository(handle);
  expect((await repository.eventsAfter(0, 10)).map((event) => [event.id, event.type])).toEqual([
    [3, 'plan.created'],
    [7, 'plan.updated'],
    [12, 'plan.deleted'],
  ]);
  expect(await repository.eventsAfter(7, 10)).toHaveLength(1);
  expect(handle.sqlite.prepare('SELECT DISTINCT domain, schema_version FROM events').all()).toEqual([
    { domain: 'plan', schema_version: 1 },
  ]);
  const next = handle.sqlite
    .prepare(
      "INSERT INTO events (domain, type, payload, occurred_at) VALUES ('points', 'points.granted', '{}', 'now') RETURNING id",
    )
    .get() as { id: number };
  expect(next.id).toBe(21);
  expect(() => handle.sqlite.prepare("UPDATE events SET type = 'plan.updated' WHERE id = 3").run()).toThrow(
    /append-only/,
  );
  expect(() =>
    handle.sqlite
      .prepare(
        "INSERT INTO events (domain, type, payload, occurred_at) VALUES ('plan', 'market.created', '{}', 'now')",
      )
      .run(),
  ).toThrow(/CHECK/);
  handle.close();
});
