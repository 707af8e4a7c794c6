import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeLegacyJson, writeLegacySqlite } from './test-support/legacy-fixtures.js';
import {
  ensureBuilt,
  freePort,
  isolatedEnv,
  pollUntil,
  REPO_ROOT,
  type WatchedProcess,
  watchProcess,
} from './test-support/processes.js';

const run = promisify(execFile);
const DOCUMENTS = [
  'README.md',
  'docs/DEPLOYMENT.md',
  'docs/MIGRATING.md',
  'docs/TESTING.md',
  'docs/TROUBLESHOOTING.md',
];

/** The ```sh runnable blocks of a Markdown file, in order. */
function runnableBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```sh runnable\n([\s\S]*?)^```$/gm)].map((match) => match[1]!);
}

// Every command the docs mark runnable is run here, so the docs cannot drift from the code.
describe('the documentation', { timeout: 120_000 }, () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let api: WatchedProcess;

  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'coachwire-docs-'));
    // `coachwire` on the PATH, as after the alias in the README or in the Docker image.
    mkdirSync(join(dir, 'bin'));
    writeFileSync(
      join(dir, 'bin', 'coachwire'),
      `#!/bin/sh\nexec "${process.execPath}" "${join(REPO_ROOT, 'apps/cli/dist/main.js')}" "$@"\n`,
    );
    chmodSync(join(dir, 'bin', 'coachwire'), 0o755);
    // What MIGRATING.md imports: the two forms the old system kept.
    mkdirSync(join(dir, 'legacy'));
    writeLegacySqlite(join(dir, 'legacy', 'coach_plans.db'));
    writeLegacyJson(join(dir, 'legacy', 'first-version-dump.json'));
    const port = await freePort();
    // Temporary files of the blocks (mktemp) go in the sandbox too, so nothing is left behind in /tmp.
    mkdirSync(join(dir, 'tmp'));
    env = {
      ...isolatedEnv(dir, port),
      PATH: `${join(dir, 'bin')}:${process.env.PATH}`,
      TMPDIR: join(dir, 'tmp'),
    };
    // An API for the health checks the docs show.
    api = watchProcess(process.execPath, [join(REPO_ROOT, 'apps/api/dist/main.js')], { cwd: dir, env });
    await pollUntil(`http://127.0.0.1:${port}/health`, (status) => status === 200);
  }, 180_000);
  afterAll(() => {
    if (api.child.exitCode === null) api.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  for (const document of DOCUMENTS) {
    it(`runs every runnable block of ${document}`, async () => {
      const blocks = runnableBlocks(readFileSync(join(REPO_ROOT, document), 'utf8'));
      expect(blocks.length).toBeGreaterThan(0);
      // A new user runs the README's blocks more than once: they must work again (no "already exists").
      const runs = document === 'README.md' ? [...blocks, ...blocks] : blocks;
      for (const block of runs) {
        const result = await run('bash', ['-e', '-o', 'pipefail', '-c', block], {
          cwd: dir,
          env,
          encoding: 'utf8',
        }).catch((error: { code?: number; stdout?: string; stderr?: string }) => error);
        expect(
          'code' in result && result.code !== undefined ? result.code : 0,
          `${document}:\n${block}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`,
        ).toBe(0);
      }
      // What the blocks make with mktemp (the README's backup copy) lands in the sandbox, removed with it,
      // not in the system's temp directory, where every run of this suite used to leave two directories.
      if (blocks.some((block) => block.includes('mktemp')))
        expect(readdirSync(join(dir, 'tmp')).length, document).toBeGreaterThan(0);
    });
  }

  it('finds only the blocks marked runnable', () => {
    const markdown = '```sh\nrm -rf /\n```\n\n```sh runnable\necho one\n```\n\n```bash\nnope\n```\n';
    expect(runnableBlocks(markdown)).toEqual(['echo one\n']);
  });
});
