import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../cli-io.js';
import { runCli } from '../program.js';

/** A temp working directory with its own database path, and a way to run `coachwire` in it in-process. */
export interface CliSandbox {
  readonly dir: string;
  readonly databasePath: string;
  run(...argv: string[]): Promise<{ status: number; stdout: string; stderr: string }>;
  remove(): void;
}

export function cliSandbox(extraEnv: Record<string, string> = {}): CliSandbox {
  const dir = mkdtempSync(join(tmpdir(), 'coachwire-cli-'));
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
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
