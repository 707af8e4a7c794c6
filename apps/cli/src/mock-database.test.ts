import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureBuilt,
  freePort,
  isolatedEnv,
  pollUntil,
  REPO_ROOT,
  type WatchedProcess,
  watchProcess,
} from './test-support/processes.js';

// Mock plans must never be served as real ones: `pnpm start` without a token keeps them in ./data/mock/, and
// the API (a separate process) reads that same file.
describe('pnpm start in mock mode, with no database path set', { timeout: 120_000 }, () => {
  let dir: string;
  let start: WatchedProcess | undefined;

  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'coachwire-mock-db-'));
  }, 180_000);
  afterAll(() => {
    if (start?.child.exitCode === null && start.child.pid) process.kill(-start.child.pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps mock plans in data/mock/coach_plans.db, and the API serves them from there', async () => {
    const port = await freePort();
    const env = isolatedEnv(dir, port);
    delete env.DATABASE_PATH;
    delete env.CHARTS_DIR;
    start = watchProcess(process.execPath, [join(REPO_ROOT, 'scripts/start.mjs')], {
      cwd: dir,
      env,
      detached: true,
    });
    await start.waitForLine(/MOCK MODE/);
    await pollUntil(
      `http://127.0.0.1:${port}/api/v1/plans`,
      (status, body) => status === 200 && (body as { data: unknown[] }).data.length > 0,
    );
    expect(existsSync(join(dir, 'data', 'mock', 'coach_plans.db'))).toBe(true);
    expect(existsSync(join(dir, 'data', 'coach_plans.db'))).toBe(false);
    expect(await start.waitForLine(/startup checks passed/)).toContain('data/mock/coach_plans.db');

    process.kill(-start.child.pid!, 'SIGINT');
    expect((await start.exited).code).toBe(0);
  });
});
