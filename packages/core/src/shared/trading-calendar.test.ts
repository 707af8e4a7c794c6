import { describe, expect, it } from 'vitest';
import { ValidationError } from './errors.js';
import {
  isTradingDay,
  nextTradingDay,
  nyseHolidays,
  previousTradingDay,
  tradingDayInfo,
  tradingDayOnOrAfter,
} from './trading-calendar.js';

// The holidays and early closes NYSE publishes (nyse.com, "Holidays & Trading Hours"), copied here as fixed
// expectations: the calendar derives them by rule and must agree date for date.
const PUBLISHED_HOLIDAYS: Record<number, readonly [string, string][]> = {
  2025: [
    ['2025-01-01', "New Year's Day"],
    ['2025-01-09', 'National Day of Mourning for President Jimmy Carter'],
    ['2025-01-20', 'Martin Luther King, Jr. Day'],
    ['2025-02-17', "Washington's Birthday"],
    ['2025-04-18', 'Good Friday'],
    ['2025-05-26', 'Memorial Day'],
    ['2025-06-19', 'Juneteenth National Independence Day'],
    ['2025-07-04', 'Independence Day'],
    ['2025-09-01', 'Labor Day'],
    ['2025-11-27', 'Thanksgiving Day'],
    ['2025-12-25', 'Christmas Day'],
  ],
  2026: [
    ['2026-01-01', "New Year's Day"],
    ['2026-01-19', 'Martin Luther King, Jr. Day'],
    ['2026-02-16', "Washington's Birthday"],
    ['2026-04-03', 'Good Friday'],
    ['2026-05-25', 'Memorial Day'],
    ['2026-06-19', 'Juneteenth National Independence Day'],
    ['2026-07-03', 'Independence Day'],
    ['2026-09-07', 'Labor Day'],
    ['2026-11-26', 'Thanksgiving Day'],
    ['2026-12-25', 'Christmas Day'],
  ],
  2027: [
    ['2027-01-01', "New Year's Day"],
    ['2027-01-18', 'Martin Luther King, Jr. Day'],
    ['2027-02-15', "Washington's Birthday"],
    ['2027-03-26', 'Good Friday'],
    ['2027-05-31', 'Memorial Day'],
    ['2027-06-18', 'Juneteenth National Independence Day'],
    ['2027-07-05', 'Independence Day'],
    ['2027-09-06', 'Labor Day'],
    ['2027-11-25', 'Thanksgiving Day'],
    ['2027-12-24', 'Christmas Day'],
  ],
};
const PUBLISHED_EARLY_CLOSES: Record<number, readonly string[]> = {
  2025: ['2025-07-03', '2025-11-28', '2025-12-24'],
  2026: ['2026-11-27', '2026-12-24'],
  2027: ['2027-11-26'],
};

/** Every date of a year, as YYYY-MM-DD. */
function datesOf(year: number): string[] {
  const dates: string[] = [];
  for (
    let day = new Date(Date.UTC(year, 0, 1));
    day.getUTCFullYear() === year;
    day.setUTCDate(day.getUTCDate() + 1)
  )
    dates.push(day.toISOString().slice(0, 10));
  return dates;
}

describe('the NYSE trading calendar', () => {
  for (const year of [2025, 2026, 2027]) {
    it(`lists exactly the published ${year} holidays`, () => {
      expect(nyseHolidays(year).map((holiday) => [holiday.date, holiday.name])).toEqual(
        PUBLISHED_HOLIDAYS[year],
      );
    });

    it(`closes early at 13:00 on exactly the published ${year} dates`, () => {
      const early = datesOf(year).filter((date) => tradingDayInfo(date).earlyClose !== undefined);
      expect(early).toEqual(PUBLISHED_EARLY_CLOSES[year]);
      for (const date of early)
        expect(tradingDayInfo(date)).toEqual({ date, trading: true, earlyClose: '13:00' });
    });

    it(`is open on every ${year} weekday that is not a published holiday`, () => {
      const holidays = new Set(PUBLISHED_HOLIDAYS[year]!.map(([date]) => date));
      for (const date of datesOf(year)) {
        const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
        const expected = weekday !== 0 && weekday !== 6 && !holidays.has(date);
        expect(isTradingDay(date), date).toBe(expected);
      }
    });
  }

  it('keeps the closures no rule predicts, as NYSE published them', () => {
    for (const date of ['2001-09-11', '2001-09-14', '2004-06-11', '2007-01-02', '2012-10-29', '2012-10-30']) {
      expect(isTradingDay(date), date).toBe(false);
    }
    expect(tradingDayInfo('2018-12-05')).toEqual({
      date: '2018-12-05',
      trading: false,
      holiday: 'National Day of Mourning for President George H.W. Bush',
    });
    expect(nextTradingDay('2012-10-26')).toBe('2012-10-31');
    expect(previousTradingDay('2001-09-17')).toBe('2001-09-10');
  });

  it('keeps a Saturday New Year open on the Friday before, which ends the year', () => {
    // 2028-01-01 is a Saturday: NYSE trades on 2027-12-31 and observes no New Year holiday in 2028.
    expect(isTradingDay('2027-12-31')).toBe(true);
    expect(nyseHolidays(2028).some((holiday) => holiday.name === "New Year's Day")).toBe(false);
  });

  it('moves a Sunday New Year to the Monday and observes Juneteenth only from 2022', () => {
    expect(tradingDayInfo('2023-01-02')).toEqual({
      date: '2023-01-02',
      trading: false,
      holiday: "New Year's Day",
    });
    expect(isTradingDay('2021-06-18')).toBe(true);
    expect(tradingDayInfo('2022-06-20').holiday).toBe('Juneteenth National Independence Day');
  });

  it('names the holiday of a closed weekday and says nothing more of a weekend', () => {
    expect(tradingDayInfo('2026-11-26')).toEqual({
      date: '2026-11-26',
      trading: false,
      holiday: 'Thanksgiving Day',
    });
    expect(tradingDayInfo('2026-11-28')).toEqual({ date: '2026-11-28', trading: false });
    expect(tradingDayInfo('2026-11-25')).toEqual({ date: '2026-11-25', trading: true });
  });

  it('steps to the next and previous trading days over weekends and holidays', () => {
    expect(nextTradingDay('2026-11-25')).toBe('2026-11-27');
    expect(nextTradingDay('2026-11-27')).toBe('2026-11-30');
    expect(nextTradingDay('2027-12-23')).toBe('2027-12-27');
    expect(tradingDayOnOrAfter('2026-11-26')).toBe('2026-11-27');
    expect(tradingDayOnOrAfter('2026-11-27')).toBe('2026-11-27');
    expect(previousTradingDay('2026-11-27')).toBe('2026-11-25');
    expect(previousTradingDay('2027-01-04')).toBe('2026-12-31');
    expect(previousTradingDay('2025-01-10')).toBe('2025-01-08');
  });

  it('derives Good Friday from Easter in years far from the published ones', () => {
    // Easter Sunday: 2000-04-23, 2038-04-25 (the latest possible), 2285-03-22 (the earliest possible).
    expect(nyseHolidays(2000).find((h) => h.name === 'Good Friday')?.date).toBe('2000-04-21');
    expect(nyseHolidays(2038).find((h) => h.name === 'Good Friday')?.date).toBe('2038-04-23');
    expect(nyseHolidays(2285).find((h) => h.name === 'Good Friday')?.date).toBe('2285-03-20');
  });

  it('refuses a date that is not YYYY-MM-DD with a VALIDATION error', () => {
    expect(() => isTradingDay('2026-02-30')).toThrow(ValidationError);
    expect(() => nextTradingDay('tomorrow')).toThrow(/YYYY-MM-DD/);
  });
});
