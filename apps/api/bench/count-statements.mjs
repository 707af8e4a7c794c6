// Preloaded into the benchmark's API processes (BENCH_COUNT=1): counts the statements the process runs, on
// either backend, and prints the count on SIGUSR2 so the benchmark can take differences. On PostgreSQL each
// is a round trip (a query sent); on SQLite each is a prepared statement executed in-process (run, get, all
// or iterate), transaction control (BEGIN, SAVEPOINT, COMMIT) included on both, so the two compare.
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../../packages/storage/package.json', import.meta.url));
let statements = 0;

const pg = require('pg');
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function counted(...args) {
  statements += 1;
  return query.apply(this, args);
};

// better-sqlite3 does not export its Statement class: take its prototype from a throwaway statement.
const Database = require('better-sqlite3');
const probe = new Database(':memory:');
const statementPrototype = Object.getPrototypeOf(probe.prepare('SELECT 1'));
probe.close();
for (const method of ['run', 'get', 'all', 'iterate']) {
  const execute = statementPrototype[method];
  statementPrototype[method] = function counted(...args) {
    statements += 1;
    return execute.apply(this, args);
  };
}

process.on('SIGUSR2', () => process.stdout.write(`\nstatements=${statements}\n`));
