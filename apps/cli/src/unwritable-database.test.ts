import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

// Tests run as root, who ignores mode bits, so these are places nobody can write: under /proc every mkdir
// answers ENOENT (which once sent Node's recursive mkdir into an endless loop at full CPU, hanging every app),
// /proc itself accepts no new file although access() calls it writable, and nothing can be created below a file.
const PLACES = [
  { name: 'an uncreatable directory', path: () => '/proc/coachwire/data/coach_plans.db', code: 'ENOENT' },
  { name: 'a directory no file can be created in', path: () => '/proc/coach_plans.db', code: 'ENOENT' },
  {
    name: 'a path below a file',
    path: (dir: string) => join(dir, 'file', 'data', 'db.sqlite'),
    code: 'ENOTDIR',
  },
];

const APPS = [
  {
    app: 'the API',
    args: ['apps/api/dist/main.js'],
    wording: /^Cannot start the API: Cannot write to the database/m,
    fileWording: /^Cannot start the API: Cannot open the database/m,
  },
  {
    app: 'the bot',
    args: ['apps/bot/dist/main.js', '--mock'],
    wording: /Cannot write to the database directory/,
    fileWording: /could not start: Cannot open the database/,
  },
  {
    app: 'coachwire db migrate',
    args: ['apps/cli/dist/main.js', 'db', 'migrate'],
    wording: /Cannot open the database/,
    fileWording: /Cannot open the database/,
  },
];

// A database file that exists in a writable directory but that the services' user cannot write: what a
// `sudo coachwire db migrate` (or import) leaves when run as root instead of as the services' user. SQLite opens
// such a file read-only without a word, so the apps used to start, answer /health as healthy and fail every write.
// The file is made read-only for its owner. Root ignores mode bits through its CAP_DAC_OVERRIDE, so as root the
// apps run without it (util-linux's setpriv, in every Debian): running them as another user instead would need
// that user to read the checkout, which a clone in a private directory does not allow.
const AS_ROOT = process.getuid?.() === 0;
const WITHOUT_OVERRIDE = [
  '--bounding-set=-dac_override,-dac_read_search',
  '--inh-caps=-dac_override,-dac_read_search',
];

describe('a database the apps cannot write', { timeout: 60_000 }, () => {
  let dir: string;
  let running: WatchedProcess | undefined;
  beforeAll(() => ensureBuilt(), 180_000);
  afterEach(() => {
    if (running?.child.exitCode === null) running.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  describe('a database path nobody can write', () => {
    for (const { app, args, wording } of APPS) {
      for (const place of PLACES) {
        it(`makes ${app} exit 1 at once with a Fix line when the database is in ${place.name}`, async () => {
          dir = mkdtempSync(join(tmpdir(), 'coachwire-unwritable-'));
          writeFileSync(join(dir, 'file'), 'x');
          const env = isolatedEnv(dir, await freePort(), { DATABASE_PATH: place.path(dir) });
          running = watchProcess(process.execPath, [join(REPO_ROOT, args[0]!), ...args.slice(1)], {
            cwd: dir,
            env,
          });
          // Before the fix the apps never exited; the test timeout is what would fail then.
          expect(await running.exited).toEqual({ code: 1, signal: null });
          const output = running.lines.join('\n');
          expect(output).toMatch(wording);
          expect(output).toContain(place.code);
          expect(output).toMatch(/^Fix: .*DATABASE_PATH/m);
        });
      }
    }
  });

  describe('a database file this user cannot write', () => {
    for (const { app, args, fileWording } of APPS) {
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
        // The directory stays writable: only the file is out of reach.
        chmodSync(database, 0o444);
        const command = [process.execPath, join(REPO_ROOT, args[0]!), ...args.slice(1)];
        running = AS_ROOT
          ? watchProcess('setpriv', [...WITHOUT_OVERRIDE, ...command], { cwd: dir, env })
          : watchProcess(command[0]!, command.slice(1), { cwd: dir, env });
        // Before the fix the API and the bot kept running (the test timeout failed) and db migrate exited 0.
        expect(await running.exited).toEqual({ code: 1, signal: null });
        const output = running.lines.join('\n');
        expect(output).toMatch(fileWording);
        expect(output).toContain(`${database} cannot be written by this user (EACCES; it belongs to uid`);
        expect(output).toMatch(/^Fix: .*DATABASE_PATH/im);
      });
    }
  });
});
