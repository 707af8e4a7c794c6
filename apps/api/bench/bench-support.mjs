// What the API's benchmark scripts share: a free loopback port, the check that the build they run exists, and
// starting a server process and waiting for it to answer.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

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

/** Stops the script with the fix when the API's dist/main.js has not been built. */
export function requireBuild(main) {
  if (existsSync(main)) return;
  console.error('dist/main.js is missing: run `pnpm --filter @coachwire/api build` first.');
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
