// What the API's benchmark scripts share: a free loopback port, the check that the build they run exists, and
// starting a server process and waiting for it to answer.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** A port nothing listens on right now (bound once on 127.0.0.1, then released). */
export const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
/** What the API's dist/main.js imports at run time, and what the bench scripts import to seed. */
const WORKSPACE_BUILDS = [
  ...['core', 'config', 'storage', 'runtime'].map((name) => `packages/${name}/dist/index.js`),
  'apps/api/dist/keep-tick-objects-fast.js',
];

/**
 * Node flags for the reference servers (bare Fastify, the standard parts): the module the API's main.js loads
 * first, which keeps one `process.nextTick` object alive so a full collection cannot turn nextTick's
 * feedback megamorphic (see src/keep-tick-objects-fast.ts). Without it, whether a process pays ~4 µs more per
 * request depends on when V8 happened to collect, and the reference servers' figures moved with that luck.
 */
export const KEEP_TICK_OBJECTS_FLAGS = [
  '--import',
  pathToFileURL(join(repoRoot, 'apps/api/dist/keep-tick-objects-fast.js')).href,
];

/**
 * Stops the script with the fix when the API's dist/main.js, or a workspace package it imports, has not been
 * built. Call it before importing a workspace package: without a build the import itself fails (with
 * ERR_MODULE_NOT_FOUND and no hint), so the scripts import them dynamically after this check.
 */
export function requireBuild(main) {
  const missing = [main, ...WORKSPACE_BUILDS.map((file) => join(repoRoot, file))].filter(
    (file) => !existsSync(file),
  );
  if (missing.length === 0) return;
  const shown = missing.map((file) => (file.startsWith(repoRoot) ? relative(repoRoot, file) : file));
  console.error(
    `Not built: ${shown.join(', ')}.\nFix: run \`pnpm build\` in the checkout's root first (\`pnpm bench\` builds by itself).`,
  );
  process.exit(1);
}

/**
 * Starts `node ARGS` with its output kept for error messages. `stop()` sends SIGTERM (if still running) and
 * resolves once the process has exited.
 */
export function startProcess(args, options = {}) {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    child,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Resolves once `url` answers 2xx; fails with the process's output if it exits first or never answers. */
export async function waitForHttp(url, server) {
  for (let attempt = 0; attempt < 400; attempt++) {
    if (server.child.exitCode !== null) throw new Error(`exited before ready:\n${server.output()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${url} never answered:\n${server.output()}`);
}
