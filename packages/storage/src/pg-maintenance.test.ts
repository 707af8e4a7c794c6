import { afterEach, beforeEach, expect, it } from 'vitest';
import { openPostgresStore, type PostgresStore } from './postgres/pg-store.js';
import { createTestPgDatabase, type TestPgDatabase } from './test-support/pg-test-database.js';

let database: TestPgDatabase;
let store: PostgresStore;
beforeEach(async () => {
  database = await createTestPgDatabase();
  store = await openPostgresStore({ url: database.url, poolSize: 2 });
});
afterEach(async () => {
  await store.close();
  await database.drop();
});

it('reports a disabled append-only trigger, a dropped foreign key’s orphans and an unvalidated constraint', async () => {
  const { pool } = store.handle;
  await pool.query('ALTER TABLE transfers DISABLE TRIGGER transfers_append_only_delete');
  await pool.query('ALTER TABLE charts DROP CONSTRAINT charts_plan_id_plans_id_fk');
  await pool.query(
    `INSERT INTO charts (plan_id, position, url, filename) VALUES (99, 0, 'https://x/a.png', 'a.png')`,
  );
  await pool.query('ALTER TABLE charts ADD CONSTRAINT charts_position_check CHECK (position >= 0) NOT VALID');
  const report = await store.integrityCheck();
  expect(report.ok).toBe(false);
  expect(report.messages).toEqual([
    'constraint charts_position_check on charts is not validated',
    'trigger transfers_append_only_delete is disabled',
    '1 charts row(s) refer to a missing parent row',
  ]);
  expect(report.counts).toEqual({ plans: 0, charts: 1, revisions: 0, events: 0 });
});
