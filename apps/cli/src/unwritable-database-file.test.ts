import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
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

// A database file that exists in a writable directory but that the services' user cannot write: what a
// `sudo coachwire db migrate` (or import) leaves when run as root instead of as the services' user. SQLite opens
// such a file read-only without a word, so the apps used to start, answer /health as healthy and fail every write.
// Root ignores mode bits, so as root the apps run as `nobody` against root's file; otherwise the file is made
// read-only for its owner.
const AS_ROOT = process.getuid?.() === 0;
const NOBODY = 65534;

const APPS = [
  {
    app: 'the API',
    args: ['apps/api/dist/main.js'],
    wording: /^Cannot start the API: Cannot open the database/m,
  },
  {
    app: 'the bot',
    args: ['apps/bot/dist/main.js', '--mock'],
    wording: /could not start: Cannot open the database/,
  },
  {
    app: 'coachwire db migrate',
    args: ['apps/cli/dist/main.js', 'db', 'migrate'],
    wording: /Cannot open the database/,
  },
];

describe('a database file this user cannot write', { timeout: 60_000 }, () => {
  let dir: string;
  let running: WatchedProcess | undefined;
  beforeAll(() => ensureBuilt(), 180_000);
  afterEach(() => {
    if (running?.child.exitCode === null) running.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  for (const { app, args, wording } of APPS) {
    it(`makes ${app} exit 1 at once, naming the file and its owner, with a Fix line`, async () => {
      dir = mkdtempSync(join(tmpdir(), 'coachwire-unwritable-file-'));
      const env = isolatedEnv(dir, await freePort(), { LOG_FILE: '' });
      const database = env.DATABASE_PATH!;
      const migrate = spawnSync(
        process.execPath,
        [join(REPO_ROOT, 'apps/cli/dist/main.js'), 'db', 'migrate'],
        {
          cwd: dir,
          env,
          encoding: 'utf8',
        },
      );
      expect(migrate.status, migrate.stderr).toBe(0);
      // The directories stay writable for the app's user: only the file is out of reach.
      chmodSync(dir, 0o777);
      chmodSync(join(dir, 'data'), 0o777);
      if (!AS_ROOT) chmodSync(database, 0o444);
      running = watchProcess(process.execPath, [join(REPO_ROOT, args[0]!), ...args.slice(1)], {
        cwd: dir,
        env,
        ...(AS_ROOT ? { uid: NOBODY, gid: NOBODY } : {}),
      });
      // Before the fix the API and the bot kept running (the test timeout failed) and db migrate exited 0.
      expect(await running.exited).toEqual({ code: 1, signal: null });
      const output = running.lines.join('\n');
      expect(output).toMatch(wording);
      expect(output).toContain(`${database} cannot be written by this user (EACCES; it belongs to uid`);
      expect(output).toMatch(/^Fix: .*DATABASE_PATH/im);
    });
  }
});
