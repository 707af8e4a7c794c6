import { type CoachwireConfig, coachesFromConfig } from '@coachwire/config';
import {
  type AdminPolicy,
  type Clock,
  type LedgerStore,
  MarketQueries,
  type MarketReadStore,
  MarketService,
  type MarketServiceOptions,
  type PlanRepository,
  PlanService,
  PointsService,
} from '@coachwire/core';
import { ledgerUnavailable, marketReadsUnavailable } from './ledger-unavailable.js';

/** The repositories services are built on; tests may pass in-memory ones. */
export interface ServiceRepositories {
  readonly plans: PlanRepository;
  /** The points ledger and markets. Omitted only by fakes that never touch markets: their calls then fail. */
  readonly ledger?: LedgerStore | undefined;
  /** The read side of markets (pages, history, portfolios); omitted with `ledger` by plan-only fakes. */
  readonly marketReads?: MarketReadStore | undefined;
}

/** Every domain service a process may use, configured from one configuration. */
export interface CoachwireServices {
  readonly plans: PlanService;
  readonly markets: MarketService;
  readonly points: PointsService;
  /** Market summaries, pages, trades, history, portfolios and coach calls (reads only). */
  readonly marketQueries: MarketQueries;
}

/** The market and points settings from the configuration (`points.*`, `markets.*`). */
export function marketServiceOptions(
  config: CoachwireConfig,
  clock: Clock,
  admins: AdminPolicy,
): MarketServiceOptions {
  return {
    timezone: config.timezone,
    clock,
    admins,
    settings: {
      startingBalance: config.points.starting_balance,
      dailyAmount: config.points.daily_amount,
      maxBet: config.markets.max_bet,
      unresolveWindowHours: config.markets.unresolve_window_hours,
      autoCancelAfterDays: config.markets.auto_cancel_after_days,
      coachCallCloseTime: config.markets.coach_calls.close_time,
      creatorRoleIds: config.markets.creator_role_ids,
      creatorWithPositionMayResolve: config.markets.creator_with_position_may_resolve,
    },
  };
}

/**
 * The one place configuration becomes services. A new service, or a new option of one, is added here and
 * nowhere else; the bot, the API, the CLI and the test fixtures all get their services from this function.
 */
export function createServices(options: {
  readonly config: CoachwireConfig;
  readonly repositories: ServiceRepositories;
  readonly clock: Clock;
}): CoachwireServices {
  const { config, clock } = options;
  const admins: AdminPolicy = { userIds: config.admins.user_ids, roleIds: config.admins.role_ids };
  const plans = new PlanService({
    repository: options.repositories.plans,
    coaches: coachesFromConfig(config),
    timezone: config.timezone,
    clock,
    admins,
    maxCharts: config.discord.max_chart_attachments,
    editWindowMinutes: config.discord.edit_window_minutes,
  });
  const ledger = options.repositories.ledger ?? ledgerUnavailable;
  const marketOptions = marketServiceOptions(config, clock, admins);
  const points = new PointsService(ledger, marketOptions);
  return {
    plans,
    markets: new MarketService(ledger, marketOptions),
    points,
    marketQueries: new MarketQueries({
      reads: options.repositories.marketReads ?? marketReadsUnavailable,
      ledger,
      plans,
      points,
      timezone: config.timezone,
      clock,
    }),
  };
}
