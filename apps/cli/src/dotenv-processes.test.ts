import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureBuilt,
  freePort,
  isolatedEnv,
  REPO_ROOT,
  type WatchedProcess,
  watchProcess,
} from './test-support/processes.js';

// The README's set-up: settings in ./.env where the apps start. The bot and the CLI read it; the API once
// read only the real environment, so a key, port or database path set in .env did not reach it.
describe('.env in the directory the apps start in', () => {
  let dir: string;
  let api: WatchedProcess | undefined;
  beforeAll(() => ensureBuilt());
  afterEach(async () => {
    if (api && api.child.exitCode === null) {
      api.child.kill('SIGTERM');
      await api.exited;
    }
    api = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('configures the API process: its port, its database and its write key', async () => {
    dir = mkdtempSync(join(tmpdir(), 'coachwire-dotenv-'));
    const port = await freePort();
    const key = 'dotenv-key-1';
    writeFileSync(
      join(dir, '.env'),
      [
        `API_PORT=${port}`,
        'DATABASE_PATH=./from-dotenv/plans.db',
        `API_KEY_SHA256=${createHash('sha256').update(key).digest('hex')}`,
        '',
      ].join('\n'),
    );
    // The environment names none of them (isolatedEnv's are removed), so only .env can.
    const env = isolatedEnv(dir, 1);
    delete env.API_PORT;
    delete env.DATABASE_PATH;
    api = watchProcess(process.execPath, [join(REPO_ROOT, 'apps/api/dist/main.js')], { cwd: dir, env });
    const base = `http://127.0.0.1:${port}`;
    expect(await api.waitForLine(/API listening/)).toContain(`:${port}`);
    expect(existsSync(join(dir, 'from-dotenv', 'plans.db'))).toBe(true);
    const post = (authorization: string) =>
      fetch(`${base}/api/v1/plans`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: JSON.stringify({ coach: 'd', text: 'Plan from an agent' }),
      });
    expect((await post('Bearer another-key')).status).toBe(401);
    expect((await post(`Bearer ${key}`)).status).toBe(201);
  });
});
