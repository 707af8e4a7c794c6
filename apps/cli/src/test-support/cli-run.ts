import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import type { CliIo } from '../cli-io.js';
import { runCli } from '../program.js';

/** A temp working directory with its own database path, and a way to run `coachwire` in it in-process. */
export interface CliSandbox {
  readonly dir: string;
  readonly databasePath: string;
  run(...argv: string[]): Promise<{ status: number; stdout: string; stderr: string }>;
  remove(): void;
}

/** Call it in a test or a beforeEach: the directory is removed when that test finishes, `remove()` or not. */
export function cliSandbox(extraEnv: Record<string, string> = {}): CliSandbox {
  const dir = mkdtempSync(join(tmpdir(), 'coachwire-cli-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  onTestFinished(remove);
  const databasePath = join(dir, 'data', 'coach_plans.db');
  const env = { DATABASE_PATH: databasePath, LOG_FILE: '', TZ: 'UTC', ...extraEnv };
  return {
    dir,
    databasePath,
    run: async (...argv) => {
      let stdout = '';
      let stderr = '';
      const io: CliIo = {
        stdout: (text) => {
          stdout += text;
        },
        stderr: (text) => {
          stderr += text;
        },
        env,
        cwd: dir,
      };
      const status = await runCli(argv, io);
      return { status, stdout, stderr };
    },
    remove,
  };
}
