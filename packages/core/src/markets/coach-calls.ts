import { MarketClosedError } from '../shared/errors.js';
import { fromProbabilityUnits } from '../shared/fixed-point.js';
import { zonedWallTimeToInstant } from '../shared/zoned-time.js';
import type { CreateMarketInput } from './market-rules.js';
import type { TradingDays } from './market-settings.js';
import type { Market } from './market-types.js';
import { probabilitiesOf } from './mechanisms/mechanism.js';
import { pricingOf } from './quotes.js';

/** The plan a coach-call market is about. */
export interface CoachCallPlan {
  readonly planId: number;
  readonly coachId: string;
  readonly coachName: string;
  readonly tradingDate: string;
}

/** The standard market for a plan, and a note when its close moved or comes early. */
export interface CoachCallSpec {
  readonly input: CreateMarketInput;
  /** The trading day the market closes on. */
  readonly closesOn: string;
  /** Set when the plan's day is not a trading day, or the exchange closes early that day. */
  readonly note: string | null;
}

/**
 * "Will Coach D's plan for 2026-11-27 work out?": binary cpmm, closing at `closeTime` in `timezone` on the
 * plan's trading date, or at the exchange's close that day (16:00 New York time, 13:00 on its early-close
 * days) when that is earlier: betting must stop when trading does, or a zone west of New York would take bets
 * for hours after the day's outcome is known. A date that is not a trading day closes at the next trading
 * day's close, and says so. MARKET_CLOSED when that close has passed (a plan posted for a past day): the
 * call's day is over, so its outcome may be known, and a market on it would pay whoever bets last.
 */
export function coachCallMarketSpec(
  plan: CoachCallPlan,
  options: {
    readonly now: Date;
    readonly timezone: string;
    readonly closeTime: string;
    readonly tradingDays: TradingDays;
    readonly subsidy?: number;
  },
): CoachCallSpec {
  const { tradingDays } = options;
  // The close on a date: the configured time, or the exchange's close (early or usual) when that comes first.
  const closeOn = (date: string): { at: Date; exchange?: string; early?: string } => {
    const usual = zonedWallTimeToInstant(date, options.closeTime, options.timezone);
    const early = tradingDays.earlyClose(date);
    const exchange = early ?? tradingDays.regularClose;
    if (exchange === undefined) return { at: usual };
    const exchangeAt = zonedWallTimeToInstant(date, exchange, tradingDays.timezone);
    if (exchangeAt.getTime() >= usual.getTime()) return { at: usual };
    return early === undefined ? { at: exchangeAt, exchange } : { at: exchangeAt, exchange, early };
  };
  const holiday = !tradingDays.isTradingDay(plan.tradingDate);
  const closesOn = holiday ? tradingDays.nextTradingDay(plan.tradingDate) : plan.tradingDate;
  const close = closeOn(closesOn);
  if (close.at.getTime() <= options.now.getTime()) {
    throw new MarketClosedError(
      `The close of ${closesOn} has passed, so no market opens on the plan for ${plan.tradingDate}: ` +
        'its outcome may already be known.',
    );
  }
  const time =
    close.exchange === undefined
      ? options.closeTime
      : close.early === undefined
        ? `${close.exchange} ${tradingDays.timezone} time (when the exchange closes)`
        : `${close.early} ${tradingDays.timezone} time (the exchange closes early that day)`;
  const note = holiday
    ? `${plan.tradingDate} is not a trading day, so the market closes at ${time} on ${closesOn}, the next trading day.`
    : close.early === undefined
      ? null
      : `The exchange closes early on ${closesOn}, so the market closes at ${close.early} ${tradingDays.timezone} time.`;
  return {
    input: {
      question: `Will ${plan.coachName}'s plan for ${plan.tradingDate} work out?`,
      mechanism: 'cpmm',
      options: ['Yes', 'No'],
      closesAt: close.at.toISOString(),
      planId: plan.planId,
      coachId: plan.coachId,
      ...(options.subsidy !== undefined ? { subsidy: options.subsidy } : {}),
    },
    closesOn,
    note,
  };
}

/** A coach's record as the crowd saw it. */
export interface CoachScoreboard {
  readonly coachId: string;
  readonly callsResolved: number;
  /** Calls that resolved YES (a MKT resolution counts its probability). */
  readonly hits: number;
  /** hits / callsResolved, or null with no resolved call. */
  readonly hitRate: number | null;
  /** The crowd's mean P(YES) at close. */
  readonly averageCrowdProbability: number | null;
  /** Mean of (P(YES) at close − outcome)²; lower is better. */
  readonly brierScore: number | null;
}

/**
 * The market that stands for each plan's call, by plan id: the first (lowest id) not cancelled, else the first.
 * `marketOf` reads the market of a row; rows without a plan are left out.
 */
export function callMarketOfPlan<T>(rows: readonly T[], marketOf: (row: T) => Market): Map<number, T> {
  const chosen = new Map<number, T>();
  for (const row of [...rows].sort((a, b) => marketOf(a).id - marketOf(b).id)) {
    const market = marketOf(row);
    if (market.planId === null) continue;
    const current = chosen.get(market.planId);
    if (!current || (marketOf(current).status === 'cancelled' && market.status !== 'cancelled'))
      chosen.set(market.planId, row);
  }
  return chosen;
}

/**
 * The scoreboard over a coach's call markets. Only resolved markets count; the probability at close is the
 * market's price when trading stopped (its pools are frozen from the close on).
 */
export function coachScoreboard(coachId: string, markets: readonly Market[]): CoachScoreboard {
  // A plan is one call however many markets name it: a coach opening more on a plan must not count it again.
  const scored = [...callMarketOfPlan(markets, (market) => market).values()]
    .filter((market) => market.coachId === coachId && market.status === 'resolved' && market.resolution)
    .map((market) => {
      const resolution = market.resolution!;
      const outcome =
        resolution.kind === 'option'
          ? resolution.option === 0
            ? 1
            : 0
          : fromProbabilityUnits(resolution.probability);
      return { outcome, crowd: probabilitiesOf(pricingOf(market))[0]! };
    });
  const n = scored.length;
  if (n === 0) {
    return {
      coachId,
      callsResolved: 0,
      hits: 0,
      hitRate: null,
      averageCrowdProbability: null,
      brierScore: null,
    };
  }
  const hits = scored.reduce((sum, entry) => sum + entry.outcome, 0);
  return {
    coachId,
    callsResolved: n,
    hits,
    hitRate: hits / n,
    averageCrowdProbability: scored.reduce((sum, entry) => sum + entry.crowd, 0) / n,
    brierScore: scored.reduce((sum, entry) => sum + (entry.crowd - entry.outcome) ** 2, 0) / n,
  };
}
