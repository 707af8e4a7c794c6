// What the API's benchmark scripts share: a free loopback port, and the check that the build they run exists.
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
