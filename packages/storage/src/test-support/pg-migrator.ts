// A child process for pg-migrate.test.ts: opens the database named by COACHWIRE_TEST_PG_MIGRATE_URL, prints
// "ready", waits for a line on stdin (so several children migrate at the same moment), migrates, and prints
// the result as JSON. Any failure goes to stderr with a non-zero exit.
import { once } from 'node:events';
import { openPostgres } from '../postgres/pg-database.js';
import { migratePostgres } from '../postgres/pg-migrate.js';

const url = process.env.COACHWIRE_TEST_PG_MIGRATE_URL;
if (!url) throw new Error('COACHWIRE_TEST_PG_MIGRATE_URL is not set');
const handle = await openPostgres({ url, poolSize: 2 });
try {
  process.stdout.write('ready\n');
  await once(process.stdin, 'data');
  const result = await migratePostgres(handle);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await handle.close();
  process.stdin.destroy();
}
