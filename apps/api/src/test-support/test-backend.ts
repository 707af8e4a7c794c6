import { createTestPgDatabase } from '@coachwire/storage/testing';

/** The database backends the API's HTTP suites run on. */
export type TestBackend = 'sqlite' | 'postgres';

/**
 * The backend this test run uses: COACHWIRE_TEST_BACKEND=postgres (set by the `api-postgres` vitest project)
 * runs the same suites on PostgreSQL; anything else, SQLite.
 */
export function testBackend(env: NodeJS.ProcessEnv = process.env): TestBackend {
  const named = env.COACHWIRE_TEST_BACKEND?.trim() ?? '';
  if (named === '' || named === 'sqlite') return 'sqlite';
  if (named === 'postgres') return 'postgres';
  throw new Error(`COACHWIRE_TEST_BACKEND must be "sqlite" or "postgres", not "${named}".`);
}

export interface TestDatabase {
  readonly backend: TestBackend;
  /** `database.url` for the config: a fresh PostgreSQL database, or "" (SQLite, at `database.path`). */
  readonly url: string;
  /** Drops the PostgreSQL database (the SQLite file goes with its temp dir). */
  drop(): Promise<void>;
}

/** A fresh, empty database on the backend of this run. */
export async function openTestDatabase(): Promise<TestDatabase> {
  if (testBackend() === 'sqlite') return { backend: 'sqlite', url: '', drop: async () => undefined };
  const database = await createTestPgDatabase();
  return { backend: 'postgres', url: database.url, drop: () => database.drop() };
}
