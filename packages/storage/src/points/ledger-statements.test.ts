import { Placeholder } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CoachwireDatabase } from '../database.js';
import { migratedTempDatabase } from '../test-support/temp-database.js';
import { userFlowsQuery } from './ledger-statements.js';

describe('the leaderboard flows statement', () => {
  let database: { handle: CoachwireDatabase; dispose(): void };
  beforeEach(async () => {
    database = await migratedTempDatabase();
  });
  afterEach(() => database.dispose());

  it("finds each member's transfers through the account indexes, never by reading the guild's", () => {
    const { sql, params } = userFlowsQuery(database.handle).toSQL();
    const values = params.map((param) => (param instanceof Placeholder ? null : param));
    const plan = (
      database.handle.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...values) as { detail: string }[]
    ).map((row) => row.detail);
    const transferSearches = plan.filter((detail) => / t\b/.test(detail));
    // Two flows, each the points in and the points out: four searches, each by one account.
    expect(transferSearches).toEqual([
      'SEARCH t USING INDEX transfers_to_idx (to_account_id=?)',
      'SEARCH t USING INDEX transfers_from_idx (from_account_id=?)',
      'SEARCH t USING INDEX transfers_to_idx (to_account_id=?)',
      'SEARCH t USING INDEX transfers_from_idx (from_account_id=?)',
    ]);
  });
});
