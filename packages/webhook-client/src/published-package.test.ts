import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeApi, legacyPlan, sendJson, startFakeApi } from './test-support/fake-coachwire-api.js';

const run = promisify(execFile);
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

let workDir: string;
let projectDir: string;
let api: FakeApi;
let servedPlan: unknown;

// Installs the packed tarball the way npm would lay it out, without a registry: the tarball is
// extracted into node_modules and its one dependency, undici, is linked from this workspace.
beforeAll(async () => {
  if (!existsSync(join(packageDir, 'dist', 'index.cjs'))) {
    await run('pnpm', ['--filter', '@coachwire/webhook-client', 'build'], { cwd: packageDir });
  }
  workDir = mkdtempSync(join(tmpdir(), 'coachwire-pack-'));
  await run('pnpm', ['pack', '--pack-destination', workDir], { cwd: packageDir });
  const tarball = readdirSync(workDir).find((name) => name.endsWith('.tgz'))!;
  projectDir = join(workDir, 'consumer');
  const installed = join(projectDir, 'node_modules', '@coachwire', 'webhook-client');
  mkdirSync(installed, { recursive: true });
  await run('tar', ['-xzf', join(workDir, tarball), '-C', installed, '--strip-components=1']);
  symlinkSync(
    realpathSync(join(packageDir, 'node_modules', 'undici')),
    join(projectDir, 'node_modules', 'undici'),
    'dir',
  );
  writeFileSync(join(projectDir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));

  // The installed package talks to this package's own fake API (the contract tests in apps/contract-tests run
  // the client against the real API app).
  servedPlan = legacyPlan('Long above 5000');
  api = await startFakeApi((request, response) =>
    request.url === '/api/coach-plans/?coach=d&date=2026-11-20'
      ? sendJson(response, 200, servedPlan)
      : sendJson(response, 404, { error: 'Not Found', message: request.url, code: 'NOT_FOUND' }),
  );
}, 120_000);

afterAll(async () => {
  await api?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

const script = (load: string) => `${load}
const client = createClient({ baseUrl: process.argv[2] });
client.fetchCoachPlan('coach_d', '2026-11-20').then(async (plan) => {
  console.log(JSON.stringify({ plan, isError: new ApiError(400, 'X', 'm') instanceof CoachwireClientError }));
  await client.close();
});
`;

describe('published package', () => {
  it('ships only dist and the docs', async () => {
    const installed = join(projectDir, 'node_modules', '@coachwire', 'webhook-client');
    expect(readdirSync(installed).sort()).toEqual([
      'CHANGELOG.md',
      'LICENSE',
      'README.md',
      'dist',
      'package.json',
    ]);
  });

  it('depends on undici alone at run time', () => {
    const installed = join(projectDir, 'node_modules', '@coachwire', 'webhook-client', 'package.json');
    const manifest = JSON.parse(readFileSync(installed, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(manifest.dependencies as object)).toStrictEqual(['undici']);
    expect(manifest).not.toHaveProperty('peerDependencies');
    expect(manifest).not.toHaveProperty('optionalDependencies');
  });

  it('works from import in an ES module', async () => {
    writeFileSync(
      join(projectDir, 'use.mjs'),
      script("import { createClient, ApiError, CoachwireClientError } from '@coachwire/webhook-client';"),
    );
    const { stdout } = await run('node', ['use.mjs', api.baseUrl], { cwd: projectDir });
    expect(servedPlan).toMatchObject({ plan: 'Long above 5000', author: 'alice' });
    expect(JSON.parse(stdout)).toStrictEqual({ plan: servedPlan, isError: true });
  });

  it('works from require in a CommonJS script', async () => {
    writeFileSync(
      join(projectDir, 'use.cjs'),
      script(
        "const { createClient, ApiError, CoachwireClientError } = require('@coachwire/webhook-client');",
      ),
    );
    const { stdout } = await run('node', ['use.cjs', api.baseUrl], { cwd: projectDir });
    expect(JSON.parse(stdout)).toStrictEqual({ plan: servedPlan, isError: true });
  });
});
