import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@coachwire/storage';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { writeLegacySqlite } from './test-support/legacy-fixtures.js';
import { ensureBuilt, freePort, isolatedEnv, REPO_ROOT } from './test-support/processes.js';

// The built `coachwire` with an output nobody can write: a full disk (/dev/full answers every write with
// ENOSPC), or a pipe whose reader has gone away (`coachwire db check | head -1`: EPIPE). Before the fix
// each crashed with Node's "Unhandled 'error' event" and a stack trace, whatever it was in the middle of.

const STACK_FRAME = /^\s+at /m;

describe('coachwire with an output it cannot write', { timeout: 60_000 }, () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let child: ChildProcess | undefined;
  beforeAll(() => ensureBuilt(), 180_000);
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'coachwire-output-'));
    env = isolatedEnv(dir, await freePort());
  });
  afterEach(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    child = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs `coachwire <args>` with stdout on /dev/full, or on a pipe closed before the CLI writes anything. */
  async function run(
    args: readonly string[],
    stdout: 'full' | 'closed pipe',
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
    const full = stdout === 'full' ? openSync('/dev/full', 'w') : undefined;
    try {
      child = spawn(process.execPath, [join(REPO_ROOT, 'apps/cli/dist/main.js'), ...args], {
        cwd: dir,
        env,
        stdio: ['ignore', full ?? 'pipe', 'pipe'],
      });
    } finally {
      if (full !== undefined) closeSync(full);
    }
    // Node takes far longer to start than this takes to close, so every write of the CLI meets EPIPE.
    child.stdout?.destroy();
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
    });
    const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
      (resolve) => child!.on('close', (code, signal) => resolve({ code, signal })),
    );
    return { code, signal, stderr };
  }

  const plans = () => {
    const handle = openDatabase({ path: env.DATABASE_PATH!, readonly: true });
    try {
      return (handle.sqlite.prepare('SELECT count(*) AS n FROM plans').get() as { n: number }).n;
    } finally {
      handle.close();
    }
  };

  it('exits 1 with a message and a Fix line, no stack trace, when stdout is on a full disk', async () => {
    const result = await run(['db', 'migrate'], 'full');
    expect(result.stderr).toBe(
      'coachwire: Cannot write the output: ENOSPC (no space left on device)\n' +
        'Fix: free space on the disk the output is redirected to, or redirect it to another disk, and run the command again for its output.\n',
    );
    expect(result).toMatchObject({ code: 1, signal: null });
    // Only the printing was lost: the database was created and migrated.
    expect(plans()).toBe(0);
  });

  it('stops quietly with the command’s own status when the reader of stdout has gone away', async () => {
    expect(await run(['db', 'migrate'], 'closed pipe')).toEqual({ code: 0, signal: null, stderr: '' });
    // Two writes: the second used to come after the first one's EPIPE had crashed the process.
    expect(await run(['db', 'check'], 'closed pipe')).toEqual({ code: 0, signal: null, stderr: '' });
    // A failure of the command itself is still reported on stderr, without a stack.
    const missing = await run(['db', 'check', '--config', join(dir, 'missing.yaml')], 'closed pipe');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/^Fix: /m);
    expect(missing.stderr).not.toMatch(STACK_FRAME);
  });

  for (const stdout of ['full', 'closed pipe'] as const) {
    it(`finishes an import whose output cannot be written (${stdout}) instead of dying mid-way`, async () => {
      const source = join(dir, 'legacy.db');
      writeLegacySqlite(source);
      expect(await run(['db', 'migrate'], stdout)).toMatchObject({ signal: null });
      const result = await run(['import', source], stdout);
      expect(result.stderr).not.toMatch(STACK_FRAME);
      expect(result).toMatchObject({ code: stdout === 'full' ? 1 : 0, signal: null });
      expect(plans()).toBe(4);
    });
  }
});
