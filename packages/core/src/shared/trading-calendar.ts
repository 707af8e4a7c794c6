import { addDays, parseTradingDate } from './dates.js';

// The NYSE trading calendar, derived by rule for any year (NYSE Rule 7.2 and its published holiday pages):
// a holiday on a Sunday is observed the Monday after; one on a Saturday the Friday before, except New Year's
// Day, whose Friday would be the last trading day of the year (the exchange stays open then). Early closes
// are at 13:00 exchange time (America/New_York).

/** A weekday the exchange is closed, with the name NYSE gives it. */
export interface MarketHoliday {
  readonly date: string;
  readonly name: string;
}

/** What the calendar says about one date. */
export interface TradingDayInfo {
  readonly date: string;
  readonly trading: boolean;
  /** Why a weekday is closed (absent on weekends and trading days). */
  readonly holiday?: string;
  /** The early close in exchange time ('HH:MM'), on the few trading days that close early. */
  readonly earlyClose?: string;
}

/** The exchange the calendar describes, and the zone its times are in. */
export const TRADING_CALENDAR_EXCHANGE = 'NYSE';
export const TRADING_CALENDAR_TIMEZONE = 'America/New_York';
/** The exchange's usual close, in its zone. */
export const TRADING_CALENDAR_CLOSE = '16:00';
const EARLY_CLOSE = '13:00';

/**
 * Closures no rule predicts (national days of mourning and the like), as NYSE published them. A rule-based
 * calendar cannot know the next one; this list keeps the past ones right.
 */
const SPECIAL_CLOSURES: readonly MarketHoliday[] = [
  { date: '1994-04-27', name: 'National Day of Mourning for President Richard Nixon' },
  { date: '2001-09-11', name: 'Closed after the September 11 attacks' },
  { date: '2001-09-12', name: 'Closed after the September 11 attacks' },
  { date: '2001-09-13', name: 'Closed after the September 11 attacks' },
  { date: '2001-09-14', name: 'Closed after the September 11 attacks' },
  { date: '2004-06-11', name: 'National Day of Mourning for President Ronald Reagan' },
  { date: '2007-01-02', name: 'National Day of Mourning for President Gerald Ford' },
  { date: '2012-10-29', name: 'Hurricane Sandy' },
  { date: '2012-10-30', name: 'Hurricane Sandy' },
  { date: '2018-12-05', name: 'National Day of Mourning for President George H.W. Bush' },
  { date: '2025-01-09', name: 'National Day of Mourning for President Jimmy Carter' },
];

const holidayCache = new Map<number, readonly MarketHoliday[]>();

/** The NYSE full-day holidays of a year (observed dates), in date order. */
export function nyseHolidays(year: number): MarketHoliday[] {
  if (!Number.isInteger(year) || year < 1900 || year > 9999)
    throw new RangeError(`year must be an integer from 1900 to 9999, got ${year}`);
  return holidaysOf(year).map((holiday) => ({ ...holiday }));
}

/** Whether the exchange is open on a `YYYY-MM-DD` date (a weekday that is no holiday). */
export function isTradingDay(date: string): boolean {
  return tradingDayInfo(date).trading;
}

/** The calendar's answer for one date: open or not, the holiday's name, an early close. */
export function tradingDayInfo(date: string): TradingDayInfo {
  const day = parseTradingDate(date);
  const holiday = holidayOn(day);
  if (holiday) return { date: day, trading: false, holiday: holiday.name };
  if (isWeekend(day)) return { date: day, trading: false };
  return isEarlyClose(day)
    ? { date: day, trading: true, earlyClose: EARLY_CLOSE }
    : { date: day, trading: true };
}

/** The first trading day strictly after `date`. */
export function nextTradingDay(date: string): string {
  return tradingDayOnOrAfter(addDays(parseTradingDate(date), 1));
}

/** `date` itself when the exchange is open then, else the next trading day. */
export function tradingDayOnOrAfter(date: string): string {
  let day = parseTradingDate(date);
  while (!isTradingDay(day)) day = addDays(day, 1);
  return day;
}

/** The last trading day strictly before `date`. */
export function previousTradingDay(date: string): string {
  let day = addDays(parseTradingDate(date), -1);
  while (!isTradingDay(day)) day = addDays(day, -1);
  return day;
}

function holidayOn(date: string): MarketHoliday | undefined {
  return holidaysOf(Number(date.slice(0, 4))).find((holiday) => holiday.date === date);
}

function holidaysOf(year: number): readonly MarketHoliday[] {
  let holidays = holidayCache.get(year);
  if (!holidays) {
    holidays = computeHolidays(year);
    holidayCache.set(year, holidays);
  }
  return holidays;
}

function computeHolidays(year: number): MarketHoliday[] {
  const holidays: MarketHoliday[] = [];
  const add = (date: string | null, name: string) => {
    if (date !== null) holidays.push({ date, name });
  };
  add(observedNewYear(year), "New Year's Day");
  add(nthWeekday(year, 1, 1, 3), 'Martin Luther King, Jr. Day');
  add(nthWeekday(year, 2, 1, 3), "Washington's Birthday");
  add(addDays(easterSunday(year), -2), 'Good Friday');
  add(lastWeekday(year, 5, 1), 'Memorial Day');
  if (year >= 2022) add(observed(isoDate(year, 6, 19)), 'Juneteenth National Independence Day');
  add(observed(isoDate(year, 7, 4)), 'Independence Day');
  add(nthWeekday(year, 9, 1, 1), 'Labor Day');
  add(nthWeekday(year, 11, 4, 4), 'Thanksgiving Day');
  add(observed(isoDate(year, 12, 25)), 'Christmas Day');
  for (const special of SPECIAL_CLOSURES) if (special.date.startsWith(`${year}-`)) holidays.push(special);
  return holidays.sort((a, b) => a.date.localeCompare(b.date));
}

// The day before Independence Day, the day after Thanksgiving and Christmas Eve close at 13:00 when they are
// trading days; a day that is itself the observed holiday (July 3 or December 24 on a Friday) is closed instead.
function isEarlyClose(date: string): boolean {
  const year = Number(date.slice(0, 4));
  const candidates = [isoDate(year, 7, 3), addDays(nthWeekday(year, 11, 4, 4), 1), isoDate(year, 12, 24)];
  return candidates.includes(date);
}

/** New Year's Day: a Sunday moves to Monday; a Saturday is not observed (Friday ends the year). */
function observedNewYear(year: number): string | null {
  const date = isoDate(year, 1, 1);
  const weekday = weekdayOf(date);
  if (weekday === 6) return null;
  return weekday === 0 ? addDays(date, 1) : date;
}

/** A fixed-date holiday: Saturday moves to Friday, Sunday to Monday. */
function observed(date: string): string {
  const weekday = weekdayOf(date);
  if (weekday === 6) return addDays(date, -1);
  if (weekday === 0) return addDays(date, 1);
  return date;
}

/** The `n`th given weekday (0 = Sunday) of a month. */
function nthWeekday(year: number, month: number, weekday: number, n: number): string {
  const first = isoDate(year, month, 1);
  const offset = (weekday - weekdayOf(first) + 7) % 7;
  return addDays(first, offset + 7 * (n - 1));
}

/** The last given weekday of a month. */
function lastWeekday(year: number, month: number, weekday: number): string {
  const last = new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
  return addDays(last, -((weekdayOf(last) - weekday + 7) % 7));
}

/** Easter Sunday of the Gregorian calendar (the anonymous "Meeus/Jones/Butcher" computation). */
function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return isoDate(year, month, day);
}

function isWeekend(date: string): boolean {
  const weekday = weekdayOf(date);
  return weekday === 0 || weekday === 6;
}

function weekdayOf(date: string): number {
  return new Date(`${date}T12:00:00Z`).getUTCDay();
}

function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
