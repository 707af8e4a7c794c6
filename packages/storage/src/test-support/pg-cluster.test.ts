import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createTestPgDatabase } from './pg-test-database.js';

/** Whether a server answers at `url` (a connection attempt of at most a second). */
async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

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

  it('stops the server and deletes its files when the process that started it is killed', async () => {
    const script = fileURLToPath(new URL('./cluster-starter.ts', import.meta.url));
    const starter = spawn(process.execPath, ['--import', 'tsx', '--conditions=@coachwire/source', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = once(starter, 'exit');
    const [line] = (await once(createInterface({ input: starter.stdout }), 'line')) as [string];
    const { adminUrl } = JSON.parse(line) as { adminUrl: string };
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    const { rows } = await client.query<{ data_directory: string }>('SHOW data_directory');
    await client.end();
    const base = dirname(rows[0]!.data_directory);
    expect(existsSync(base)).toBe(true);

    // As a test run ended by a kill (or Ctrl-C) would: no teardown runs.
    starter.kill('SIGKILL');
    await exited;
    // The watchdog polls every 200 ms; nothing announces the server's end to this process, so poll too.
    const deadline = Date.now() + 30_000;
    while ((existsSync(base) || (await answers(adminUrl))) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await answers(adminUrl)).toBe(false);
    expect(existsSync(base)).toBe(false);
  }, 60_000);
});
