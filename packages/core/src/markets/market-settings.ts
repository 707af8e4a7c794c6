import type { AdminPolicy } from '../plans/authorization.js';
import type { Clock } from '../shared/clock.js';
import {
  isTradingDay,
  nextTradingDay,
  TRADING_CALENDAR_CLOSE,
  TRADING_CALENDAR_TIMEZONE,
  tradingDayInfo,
} from '../shared/trading-calendar.js';

/** The configuration of a guild's points and markets (config keys `points.*` and `markets.*`). */
export interface MarketSettings {
  readonly startingBalance: number;
  readonly dailyAmount: number;
  readonly maxBet: number;
  readonly unresolveWindowHours: number;
  readonly autoCancelAfterDays: number;
  /** "HH:MM" in the configured timezone. */
  readonly coachCallCloseTime: string;
  readonly creatorRoleIds: readonly string[];
  readonly creatorWithPositionMayResolve: boolean;
}

export const DEFAULT_MARKET_SETTINGS: MarketSettings = {
  startingBalance: 1000,
  dailyAmount: 100,
  maxBet: 10_000,
  unresolveWindowHours: 48,
  autoCancelAfterDays: 7,
  coachCallCloseTime: '16:00',
  creatorRoleIds: [],
  creatorWithPositionMayResolve: false,
};

/**
 * Which dates are trading days. The real exchange calendar lives in shared code; tests and the service take
 * this port so markets do not depend on how holidays are known.
 */
export interface TradingDays {
  isTradingDay(date: string): boolean;
  /** The first trading day strictly after `date`. */
  nextTradingDay(date: string): string;
  /** The exchange's early close on `date` ("HH:MM" in `timezone`), on the few days it closes early. */
  earlyClose(date: string): string | undefined;
  /** The exchange's usual close ("HH:MM" in `timezone`); absent for a calendar that has none. */
  readonly regularClose?: string;
  /** The zone the calendar's times are in. */
  readonly timezone: string;
}

/** The NYSE calendar (weekends and exchange holidays closed, 16:00 closes, 13:00 early ones): the default. */
export const NYSE_TRADING_DAYS: TradingDays = {
  isTradingDay,
  nextTradingDay,
  earlyClose: (date) => tradingDayInfo(date).earlyClose,
  regularClose: TRADING_CALENDAR_CLOSE,
  timezone: TRADING_CALENDAR_TIMEZONE,
};

/** Every day is a trading day (for tests whose clock should not care about weekends). */
export const EVERY_DAY_TRADES: TradingDays = {
  isTradingDay: () => true,
  nextTradingDay: (date) => {
    const next = new Date(`${date}T00:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    return next.toISOString().slice(0, 10);
  },
  earlyClose: () => undefined,
  timezone: 'UTC',
};

/** `date` when it is a trading day, else the next one. */
export function firstTradingDayFrom(days: TradingDays, date: string): string {
  return days.isTradingDay(date) ? date : days.nextTradingDay(date);
}

/** Everything the market and points services need besides the store. */
export interface MarketServiceOptions {
  readonly timezone: string;
  readonly clock?: Clock | undefined;
  readonly admins?: AdminPolicy | undefined;
  readonly settings?: Partial<MarketSettings> | undefined;
  readonly tradingDays?: TradingDays | undefined;
}
