// Preloaded into the benchmark's API processes (BENCH_COUNT=1): counts the statements (round trips) the
// process sends to PostgreSQL, and prints the count on SIGUSR2 so the benchmark can take differences.
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../../packages/storage/package.json', import.meta.url));
const pg = require('pg');
let statements = 0;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function counted(...args) {
  statements += 1;
  return query.apply(this, args);
};
process.on('SIGUSR2', () => process.stdout.write(`\nstatements=${statements}\n`));
