import { ArgumentError, loadConfigOrExit, localApiUrl } from '@coachwire/config';
import { type Coachwire, openCoachwire, StartupError, stopWhenSupervisorGone } from '@coachwire/runtime';
import type { FastifyInstance } from 'fastify';
import { type BuildAppOptions, buildApp } from './app.js';
import { parseApiFlags, USAGE } from './cli-flags.js';

/**
 * Runs the API as a process: flags, configuration (exit 2 when invalid), startup checks in order (each
 * failure names its fix and exits 1), listen, and a graceful shutdown on SIGINT/SIGTERM (exit 0).
 * `appOptions` lets a test process tune what operators never need to (the event poll interval).
 */
export async function runServer(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  appOptions: Pick<BuildAppOptions, 'eventPollIntervalMs'> = {},
): Promise<void> {
  let flags: ReturnType<typeof parseApiFlags>;
  try {
    flags = parseApiFlags(argv);
  } catch (error) {
    const fix = error instanceof ArgumentError ? `Fix: ${error.fix}\n` : '';
    process.stderr.write(`${(error as Error).message}\n${fix}\n${USAGE}\n`);
    process.exit(2);
  }
  if (flags.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const config = loadConfigOrExit({
    argv: [],
    // ./.env as the bot and the CLI read it (python-dotenv's rule: the real environment wins).
    processEnv: env,
    ...(flags.configPath !== undefined ? { configPath: flags.configPath } : {}),
    overrides: {
      api: {
        ...(flags.port !== undefined ? { port: flags.port } : {}),
        ...(flags.host ? { host: flags.host } : {}),
      },
    },
  });

  const signals = catchStopSignals();
  let coachwire: Coachwire;
  try {
    coachwire = await openCoachwire(config, { processName: 'api', reportSlowCalls: true });
  } catch (error) {
    reportStartupFailure(error);
    process.exit(1);
  }
  const { logger } = coachwire;

  const app = await buildApp({ ...appOptions, config, coachwire });
  try {
    await app.listen({ host: config.api.host, port: config.api.port });
  } catch (error) {
    logger.fatal({ err: error }, 'cannot listen');
    await coachwire.close();
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
    // Addresses to open on this machine (a wildcard host is reached through loopback), and what was bound.
    {
      url: localApiUrl(config.api.host, port),
      docs: localApiUrl(config.api.host, port, '/docs'),
      host: config.api.host,
      port,
    },
    'API listening',
  );
  installShutdown(app, coachwire, signals);
}

function reportStartupFailure(error: unknown): void {
  if (error instanceof StartupError)
    process.stderr.write(`Cannot start the API: ${error.message}\nFix: ${error.fix}\n`);
  else process.stderr.write(`Cannot start the API: ${(error as Error).message}\n`);
}

/** A repeat of the stop signal sooner than this after the first is the same request delivered twice. */
const REPEATED_SIGNAL_MS = 1000;

/**
 * Catches SIGINT/SIGTERM from the start, for good: without a handler a signal while starting, or a second one
 * while shutting down (a terminal's Ctrl-C that a wrapper such as pnpm also forwards, an impatient operator),
 * killed the process outright, in-flight requests and all, with no exit status of 0. A signal while starting
 * is honoured once the API listens, and a second one while starting stops it at once; a repeat while shutting
 * down cuts the remaining connections at once (one within a second is the same request twice, and is ignored).
 */
function catchStopSignals(): { whenRequested(stop: (signal: NodeJS.Signals) => void): void } {
  let requested: NodeJS.Signals | undefined;
  let handler: ((signal: NodeJS.Signals) => void) | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (handler) handler(signal);
    else if (requested === undefined) {
      requested = signal;
      process.stderr.write(
        `Stop requested (${signal}) while starting: stopping once started; again to stop now.\n`,
      );
    } else {
      // Asked twice before the API listens: a start that waits (another instance's migration lock, a file
      // locked by another writer) must not make the operator wait with it. Nothing is in flight yet, and a
      // migration cut short is rolled back by the database.
      process.stderr.write(`Stopped while starting (${signal}).\n`);
      process.exit(0);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    whenRequested(stop) {
      handler = stop;
      if (requested) stop(requested);
    },
  };
}

function installShutdown(
  app: FastifyInstance,
  coachwire: Coachwire,
  signals: ReturnType<typeof catchStopSignals>,
): void {
  const { config, logger } = coachwire;
  let shutdownStartedAt: number | undefined;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (shutdownStartedAt !== undefined) {
      if (Date.now() - shutdownStartedAt < REPEATED_SIGNAL_MS) return;
      logger.warn({ signal }, 'stop signal again: closing remaining connections now');
      app.server.closeAllConnections();
      return;
    }
    shutdownStartedAt = Date.now();
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
    logger.info('stopped');
    await coachwire.close();
    process.exit(0);
  };
  signals.whenRequested((signal) => void shutdown(signal));
  stopWhenSupervisorGone(() => void shutdown('SIGTERM'));
}
