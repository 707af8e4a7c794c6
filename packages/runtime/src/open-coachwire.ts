import { type CoachwireConfig, closeLogger, createLogger, type Logger } from '@coachwire/config';
import { type Clock, type PlanEventLog, type PlanRepository, systemClock } from '@coachwire/core';
import {
  BotStatusStore,
  ChartArchiveRepository,
  type ChartStore,
  type CoachwireDatabase,
  FsChartStore,
  MarketMessageStore,
  migrateDatabase,
  openDatabase,
  pingDatabase,
  SqliteEventLog,
  SqliteLedgerStore,
  SqliteMarketReadStore,
  SqlitePlanRepository,
} from '@coachwire/storage';
import { type CoachwireServices, createServices } from './services.js';
import { assertDirectoriesWritable, StartupError } from './startup-checks.js';
import { TimedPlanRepository } from './timed-plan-repository.js';

/** The stores over the open database. */
export interface CoachwireRepositories {
  readonly plans: PlanRepository & PlanEventLog;
  /** Chart rows and their archive state. */
  readonly charts: ChartArchiveRepository;
  /** The archived chart files (`charts.dir`). */
  readonly chartFiles: ChartStore;
  /** The bot's heartbeat row. */
  readonly botStatus: BotStatusStore;
  /** Where the bot shows each market in Discord, and what it announced there. */
  readonly marketMessages: MarketMessageStore;
  /** The points ledger and markets. */
  readonly ledger: SqliteLedgerStore;
  /** The read side of markets. */
  readonly marketReads: SqliteMarketReadStore;
  /** The event log of every domain (plans, markets, points). */
  readonly eventLog: SqliteEventLog;
}

/** An opened Coachwire: what every process builds on. */
export interface Coachwire {
  readonly config: CoachwireConfig;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The open, migrated database; closed by `close()`. */
  readonly database: CoachwireDatabase;
  readonly repositories: CoachwireRepositories;
  readonly services: CoachwireServices;
  /** Closes the database, and the logger when this runtime created it. Safe to call twice. */
  close(): Promise<void>;
}

export interface OpenCoachwireOptions {
  /** Defaults to the system clock; tests fix "today" here. */
  readonly clock?: Clock | undefined;
  /**
   * The caller's logger (the caller closes it). Omitted, one is created from `config.logging` after its
   * directory is checked, named `processName`, and closed by `close()`.
   */
  readonly logger?: Logger | undefined;
  /** Names the lines of a created logger (`api`, `bot`). */
  readonly processName?: string | undefined;
  /** Logs plan-repository calls slower than 50 ms as `slow database call` (the API wants to know). */
  readonly reportSlowCalls?: boolean | undefined;
}

/**
 * Runs the startup checks, opens and migrates the database and checks it answers, then builds the
 * repositories and services. Each failure is a StartupError naming its fix; nothing is left open after one.
 */
export async function openCoachwire(
  config: CoachwireConfig,
  options: OpenCoachwireOptions = {},
): Promise<Coachwire> {
  const ownsLogger = options.logger === undefined;
  assertDirectoriesWritable(config, { logFile: ownsLogger });
  const logger =
    options.logger ??
    createLogger({
      config: config.logging,
      name: options.processName ?? 'coachwire',
      mock: config.mock.enabled,
    });
  let database: CoachwireDatabase | undefined;
  try {
    database = openOrExplain(config, logger);
    await migrateOrExplain(database);
    pingOrExplain(database);
  } catch (error) {
    database?.close();
    if (ownsLogger) await closeLogger(logger);
    throw error;
  }
  const clock = options.clock ?? systemClock;
  const storedPlans = new SqlitePlanRepository(database);
  const plans = options.reportSlowCalls
    ? new TimedPlanRepository(storedPlans, (call, durationMs) =>
        logger.warn({ call, duration_ms: Math.round(durationMs) }, 'slow database call'),
      )
    : storedPlans;
  const repositories: CoachwireRepositories = {
    plans,
    charts: new ChartArchiveRepository(database),
    chartFiles: new FsChartStore(config.charts.dir),
    botStatus: new BotStatusStore(database),
    marketMessages: new MarketMessageStore(database),
    ledger: new SqliteLedgerStore(database),
    marketReads: new SqliteMarketReadStore(database),
    eventLog: new SqliteEventLog(database),
  };
  const open = database;
  let closing: Promise<void> | undefined;
  return {
    config,
    clock,
    logger,
    database: open,
    repositories,
    services: createServices({ config, repositories, clock }),
    close() {
      closing ??= (async () => {
        open.close();
        if (ownsLogger) await closeLogger(logger);
      })();
      return closing;
    },
  };
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
