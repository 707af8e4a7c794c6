import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the throwaway cluster started by pg-global-setup.ts. */
    pgAdminUrl: string;
  }
}

/** The cluster's admin URL: from the vitest global setup, or (in a child process) COACHWIRE_TEST_PG_URL. */
export function testPgAdminUrl(): string {
  const url = process.env.COACHWIRE_TEST_PG_URL ?? inject('pgAdminUrl');
  if (!url) throw new Error('No PostgreSQL test cluster: run the test through vitest (pg-global-setup.ts).');
  return url;
}

export interface TestPgDatabase {
  /** URL of a fresh, empty database (with the cluster's password). */
  readonly url: string;
  /** Drops the database, closing any connection still open to it. */
  drop(): Promise<void>;
}

async function asAdmin(adminUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** A fresh empty database on the test cluster, so every test starts from nothing. */
export async function createTestPgDatabase(): Promise<TestPgDatabase> {
  const adminUrl = testPgAdminUrl();
  const name = `cw_test_${randomBytes(6).toString('hex')}`;
  await asAdmin(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let dropped: Promise<void> | undefined;
  return {
    url: url.toString(),
    drop() {
      dropped ??= asAdmin(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      return dropped;
    },
  };
}
