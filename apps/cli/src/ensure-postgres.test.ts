import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './test-support/processes.js';

// `pnpm test` runs scripts/ensure-postgres.mjs before the suites: it finds PostgreSQL's server, installs it
// (root + apt-get), or stops with the one command to run. It never lets the PostgreSQL suites be skipped.
function ensurePostgres(env: Record<string, string>) {
  return spawnSync(process.execPath, ['scripts/ensure-postgres.mjs'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
  });
}

describe('scripts/ensure-postgres.mjs', () => {
  it('names the server directory it found', () => {
    const result = ensurePostgres({});
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^\[postgres\] \/.+\/bin$/m);
  });

  it('stops with the fix when the configured directory has no server', () => {
    const empty = mkdtempSync(join(tmpdir(), 'coachwire-no-pg-'));
    try {
      const result = ensurePostgres({ PG_BIN_DIR: empty });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`PG_BIN_DIR=${empty} has no initdb and pg_ctl`);
      expect(result.stderr).toContain('Fix:');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
