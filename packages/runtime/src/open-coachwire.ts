import { type CoachwireConfig, closeLogger, createLogger, type Logger } from '@coachwire/config';
import {
  type Clock,
  type LedgerStore,
  type MarketReadStore,
  type PlanEventLog,
  type PlanRepository,
  systemClock,
} from '@coachwire/core';
import {
  type BotStatusPort,
  type ChartArchivePort,
  type ChartStore,
  type CoachwireStore,
  FsChartStore,
  type MarketMessagePort,
  type MemberNamePort,
  type StoreEventLog,
} from '@coachwire/storage';
import { openStore } from './open-store.js';
import { type CoachwireServices, createServices } from './services.js';
import { assertDirectoriesWritable } from './startup-checks.js';
import { TimedPlanRepository } from './timed-plan-repository.js';

/** The stores over the open database (the store's ports, the plans maybe timed) and the chart files. */
export interface CoachwireRepositories {
  readonly plans: PlanRepository & PlanEventLog;
  /** Chart rows and their archive state. */
  readonly charts: ChartArchivePort;
  /** The archived chart files (`charts.dir`). */
  readonly chartFiles: ChartStore;
  /** The bot's heartbeat row. */
  readonly botStatus: BotStatusPort;
  /** Where the bot shows each market in Discord, and what it announced there. */
  readonly marketMessages: MarketMessagePort;
  /** Members' display names, as the bot last saw them (the API shows them beside user ids). */
  readonly memberNames: MemberNamePort;
  /** The points ledger and markets. */
  readonly ledger: LedgerStore;
  /** The read side of markets. */
  readonly marketReads: MarketReadStore;
  /** The event log of every domain (plans, markets, points). */
  readonly eventLog: StoreEventLog;
}

/** An opened Coachwire: what every process builds on. */
export interface Coachwire {
  readonly config: CoachwireConfig;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The open, migrated store (SQLite or PostgreSQL); closed by `close()`. */
  readonly store: CoachwireStore;
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
  let store: CoachwireStore;
  try {
    store = await openStore(config, logger);
  } catch (error) {
    if (ownsLogger) await closeLogger(logger);
    throw error;
  }
  const clock = options.clock ?? systemClock;
  const storedPlans = store.plans;
  const plans = options.reportSlowCalls
    ? new TimedPlanRepository(storedPlans, (call, durationMs) =>
        logger.warn({ call, duration_ms: Math.round(durationMs) }, 'slow database call'),
      )
    : storedPlans;
  const repositories: CoachwireRepositories = {
    plans,
    charts: store.charts,
    chartFiles: new FsChartStore(config.charts.dir),
    botStatus: store.botStatus,
    marketMessages: store.marketMessages,
    memberNames: store.memberNames,
    ledger: store.ledger,
    marketReads: store.marketReads,
    eventLog: store.eventLog,
  };
  const open = store;
  let closing: Promise<void> | undefined;
  return {
    config,
    clock,
    logger,
    store: open,
    repositories,
    services: createServices({ config, repositories, clock }),
    close() {
      closing ??= (async () => {
        await open.close();
        if (ownsLogger) await closeLogger(logger);
      })();
      return closing;
    },
  };
}
