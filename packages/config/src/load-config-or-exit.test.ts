import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir, writeYaml } from './test-support/temp-files.js';

const fixture = fileURLToPath(new URL('./test-support/load-config-or-exit.ts', import.meta.url));
// tsx is installed at the workspace root; running from there lets `--import tsx` resolve it.
const workspaceRoot = path.resolve(path.dirname(fixture), '../../../..');

function runFixture(env: Record<string, string>, args: string[] = []) {
  return spawnSync(
    process.execPath,
    ['--import', 'tsx', '--conditions=@coachwire/source', fixture, ...args],
    {
      cwd: workspaceRoot,
      env: { PATH: process.env.PATH ?? '', ...env },
      encoding: 'utf8',
      timeout: 20_000,
    },
  );
}

describe('loadConfigOrExit', () => {
  it('prints every problem to stderr and exits with status 2, without the token', () => {
    const dir = tempDir();
    const file = writeYaml(dir, 'timezone: Nowhere/Land\n');
    const result = runFixture({ API_PORT: 'abc', DISCORD_BOT_TOKEN: 'never-print-this-token' }, [
      '--config',
      file,
    ]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Invalid configuration (2 problems):');
    expect(result.stderr).toContain(
      'api.port (from env API_PORT): expected an integer from 1 to 65535, got "abc"',
    );
    expect(result.stderr).toContain('timezone (from file ');
    expect(result.stderr).not.toContain('never-print-this-token');
  });

  it('returns the configuration when it is valid', () => {
    const result = runFixture({ API_PORT: '5123' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('loaded port 5123\n');
  });
});
