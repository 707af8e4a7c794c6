import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createTestPgDatabase } from './pg-test-database.js';

describe('the throwaway PostgreSQL test server', () => {
  it('gives each caller its own empty database, and drops it', async () => {
    const first = await createTestPgDatabase();
    const second = await createTestPgDatabase();
    expect(first.url).not.toBe(second.url);
    const client = new pg.Client({ connectionString: first.url });
    await client.connect();
    try {
      await client.query('CREATE TABLE probe (id integer)');
      const tables = await client.query(
        "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'",
      );
      expect(tables.rows[0].n).toBe(1);
    } finally {
      await client.end();
    }
    await first.drop();
    await second.drop();
    const gone = new pg.Client({ connectionString: first.url });
    await expect(gone.connect()).rejects.toThrow(/does not exist/);
  });
});
