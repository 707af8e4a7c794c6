// Checks `pnpm start` makes before it starts anything, so a mistake is reported once, at once, by one process.
import { statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Resolves with undefined when this process could listen on host:port, else with the errno code
 * (EADDRINUSE when another server, such as a running `pnpm start`, holds the port).
 */
export function portProblem(host, port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error) => resolve(error.code ?? error.message));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}

/**
 * The problem with the configuration's port, worded for the person who typed `pnpm start`, or undefined.
 * `base` is the API's local URL (config's localApiUrl).
 */
export async function checkPort(config, startCommand, base) {
  const { host, port } = config.api;
  const code = await portProblem(host, port);
  if (code === undefined) return undefined;
  if (code === 'EADDRINUSE')
    return (
      `Port ${port} (${host}) is already in use, perhaps by another \`pnpm start\` (see ${base}/health). Nothing was started.\n` +
      `Fix: stop the other instance (Ctrl-C in its terminal), or run this one on another port: API_PORT=${port + 1} ${startCommand}`
    );
  return `Cannot listen on ${host}:${port} (${code}). Nothing was started.\nFix: choose another address with API_HOST / API_PORT (api.host / api.port).`;
}

/**
 * The problem with the database directory, in the same words the apps use, or undefined. Storage's check
 * creates the directory level by level and proves a file can be created there, so paths no one can write
 * (under /proc, on a read-only mount, below a file, on a full disk) fail here within milliseconds.
 */
export async function checkDatabaseDirectory(root, config) {
  const { ensureWritableDirectory } = await import(
    pathToFileURL(join(root, 'packages/storage/dist/index.js')).href
  );
  // PostgreSQL (database.url) has no database file; the apps report an unreachable server themselves.
  if (config.database.url) return undefined;
  const directory = dirname(config.database.path);
  try {
    ensureWritableDirectory(directory);
    // Only now: below a file, stat would fail with ENOTDIR, which the check above reports in its own words.
    if (statSync(config.database.path, { throwIfNoEntry: false })?.isDirectory())
      return (
        `The database path ${config.database.path} is a directory, not a database file. Nothing was started.\n` +
        `Fix: point database.path (env DATABASE_PATH) at a file, e.g. ${join(config.database.path, 'coach_plans.db')}.`
      );
    return undefined;
  } catch (error) {
    return (
      `Cannot write to the database directory ${directory} (${error.code ?? error.message}). Nothing was started.\n` +
      'Fix: Create it and give this user write access, or point database.path (env DATABASE_PATH) elsewhere.'
    );
  }
}

/**
 * Mock mode chosen only because no token is set must not write its simulated plans and markets into a database
 * that holds real ones: a user moving from the old system sets DATABASE_PATH to the database they imported, and
 * the mock would mix its plans into it for good. The database is opened (and migrated, as the apps would) to
 * look; one that cannot be opened is left to the apps, which say why in their own words.
 */
export async function checkMockTarget(root, config, database) {
  const { openCoachwire } = await import(pathToFileURL(join(root, 'packages/runtime/dist/index.js')).href);
  const { createLogger } = await import(pathToFileURL(join(root, 'packages/config/dist/index.js')).href);
  const logger = createLogger({ config: { ...config.logging, level: 'silent' }, name: 'start' });
  let coachwire;
  try {
    coachwire = await openCoachwire(config, { logger });
  } catch {
    return undefined;
  }
  try {
    if (!(await coachwire.services.plans.holdsPlansFromOutsideMock())) return undefined;
  } finally {
    await coachwire.close();
  }
  return (
    `No DISCORD_BOT_TOKEN is set, so this would run the mock, which posts simulated plans and markets; but the ` +
    `database ${database} already holds plans that are not the mock's. Nothing was started.\n` +
    'Fix: set DISCORD_BOT_TOKEN in .env to run the real bot on it; or unset DATABASE_PATH / DATABASE_URL (database: ' +
    'in the config file) to try the mock on its own database (./data/mock/); or set MOCK_MODE=true to run the mock ' +
    'on this database anyway.'
  );
}
