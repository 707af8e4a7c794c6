import {
  type CoachwireConfig,
  closeLogger,
  createLogger,
  type Logger,
  loadConfigOrExit,
} from '@coachwire/config';
import { type CoachwireDatabase, migrateDatabase, openDatabase, pingDatabase } from '@coachwire/storage';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { parseApiFlags, USAGE } from './cli-flags.js';
import { assertDirectoriesWritable, StartupError } from './startup-checks.js';

/**
 * Runs the API as a process: flags, configuration (exit 2 when invalid), startup checks in order (each
 * failure names its fix and exits 1), listen, and a graceful shutdown on SIGINT/SIGTERM (exit 0).
 */
export async function runServer(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  let flags: ReturnType<typeof parseApiFlags>;
  try {
    flags = parseApiFlags(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  if (flags.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const config = loadConfigOrExit({
    argv: [],
    env,
    ...(flags.configPath !== undefined ? { configPath: flags.configPath } : {}),
    overrides: {
      api: {
        ...(flags.port !== undefined ? { port: flags.port } : {}),
        ...(flags.host ? { host: flags.host } : {}),
      },
    },
  });

  let database: CoachwireDatabase | undefined;
  let logger: Logger | undefined;
  try {
    assertDirectoriesWritable(config);
    logger = createLogger({ config: config.logging, name: 'api', mock: config.mock.enabled });
    database = openOrExplain(config, logger);
    await migrateOrExplain(database);
    pingOrExplain(database);
  } catch (error) {
    database?.close();
    if (logger) await closeLogger(logger);
    reportStartupFailure(error);
    process.exit(1);
  }

  const app = await buildApp({ config, database, logger });
  try {
    await app.listen({ host: config.api.host, port: config.api.port });
  } catch (error) {
    logger.fatal({ err: error }, 'cannot listen');
    database.close();
    await closeLogger(logger);
    reportStartupFailure(
      new StartupError(
        `Cannot listen on ${config.api.host}:${config.api.port}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
        'Stop whatever uses the port, or choose another with --port / api.port (env API_PORT).',
      ),
    );
    process.exit(1);
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.api.port;
  logger.info(
    { url: `http://${config.api.host}:${port}`, docs: `http://${config.api.host}:${port}/docs` },
    'API listening',
  );
  installShutdown(app, database, logger, config);
}

function openOrExplain(config: CoachwireConfig, logger: Logger): CoachwireDatabase {
  try {
    return openDatabase({ path: config.database.path, logger });
  } catch (error) {
    throw new StartupError(
      (error as Error).message,
      'Check that database.path (env DATABASE_PATH) names a SQLite file this user can read and write.',
    );
  }
}

async function migrateOrExplain(database: CoachwireDatabase): Promise<void> {
  try {
    await migrateDatabase(database);
  } catch (error) {
    throw new StartupError(
      (error as Error).message,
      'Restore the file from a backup (coachwire backup) or point database.path at a fresh file.',
    );
  }
}

function pingOrExplain(database: CoachwireDatabase): void {
  try {
    pingDatabase(database);
  } catch (error) {
    throw new StartupError(
      (error as Error).message,
      'Check the disk and the file permissions of the database.',
    );
  }
}

function reportStartupFailure(error: unknown): void {
  if (error instanceof StartupError)
    process.stderr.write(`Cannot start the API: ${error.message}\nFix: ${error.fix}\n`);
  else process.stderr.write(`Cannot start the API: ${(error as Error).message}\n`);
}

function installShutdown(
  app: FastifyInstance,
  database: CoachwireDatabase,
  logger: Logger,
  config: CoachwireConfig,
): void {
  let shuttingDown = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (shuttingDown) return;
    shuttingDown = true;
    const timeoutMs = config.api.shutdown_timeout_seconds * 1000;
    logger.info({ signal, timeout_ms: timeoutMs }, 'shutting down: finishing open requests');
    // In-flight requests get the grace period; after it, their connections are cut.
    const deadline = setTimeout(() => {
      logger.warn('shutdown grace period over: closing remaining connections');
      app.server.closeAllConnections();
    }, timeoutMs);
    deadline.unref();
    try {
      await app.close();
    } catch (error) {
      logger.error({ err: error }, 'error while closing the server');
    }
    clearTimeout(deadline);
    database.close();
    logger.info('stopped');
    await closeLogger(logger);
    process.exit(0);
  };
  process.once('SIGINT', (signal) => void shutdown(signal));
  process.once('SIGTERM', (signal) => void shutdown(signal));
}
