// `pnpm test`: lint, typecheck and build everything, run every vitest project once,
// then print the plain totals line CI reads ("N passed, N failed[, N skipped]").
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const report = '.vitest-report.json';
const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', shell: false }).status ?? 1;

let status = run('pnpm', ['exec', 'biome', 'check', '.']);
if (status === 0)
  status = run('pnpm', ['exec', 'turbo', 'run', 'typecheck', 'build', '--output-logs=errors-only']);
// The dashboard's browser tests need the system Chromium: installed here when possible, else a stop with the fix.
if (status === 0) status = run('node', ['scripts/ensure-chromium.mjs']);
// The PostgreSQL suites start a throwaway cluster from Debian's postgresql: installed here when possible.
if (status === 0) status = run('node', ['scripts/ensure-postgres.mjs']);
if (status !== 0) {
  console.log('0 passed, 1 failed');
  console.error('lint, typecheck, build, or the Chromium or PostgreSQL check failed; no tests were run');
  process.exit(status);
}

rmSync(report, { force: true });
status = run('pnpm', [
  'exec',
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile=${report}`,
  ...process.argv.slice(2),
]);

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(report)) {
  const totals = JSON.parse(readFileSync(report, 'utf8'));
  passed = totals.numPassedTests;
  // A file that failed without any failing test (an import error, a failing hook) still counts once.
  const brokenFiles = (totals.testResults ?? []).filter(
    (file) =>
      file.status === 'failed' && !(file.assertionResults ?? []).some((test) => test.status === 'failed'),
  ).length;
  failed = totals.numFailedTests + brokenFiles;
  skipped = (totals.numPendingTests ?? 0) + (totals.numTodoTests ?? 0);
} else {
  failed = 1;
}
if (status !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(status === 0 && failed === 0 ? 0 : 1);
