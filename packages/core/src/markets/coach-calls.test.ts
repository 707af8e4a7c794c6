import { describe, expect, it } from 'vitest';
import { callMarket } from '../test-support/call-market.js';
import { coachCallMarketSpec, coachScoreboard } from './coach-calls.js';
import { NYSE_TRADING_DAYS, type TradingDays } from './market-settings.js';

// A small calendar for the tests: weekends and Thanksgiving 2026 (Thursday 26 November) are closed.
const closed = new Set(['2026-11-26']);
const weekdays: TradingDays = {
  isTradingDay: (date) => {
    const day = new Date(`${date}T00:00:00Z`).getUTCDay();
    return day !== 0 && day !== 6 && !closed.has(date);
  },
  nextTradingDay(date) {
    let next = date;
    do {
      const d = new Date(`${next}T00:00:00Z`);
      d.setUTCDate(d.getUTCDate() + 1);
      next = d.toISOString().slice(0, 10);
    } while (!this.isTradingDay(next));
    return next;
  },
  earlyClose: () => undefined,
  timezone: 'America/New_York',
};
const plan = { planId: 7, coachId: 'd', coachName: 'Coach D', tradingDate: '2026-11-27' };
const options = (now: string) => ({
  now: new Date(now),
  timezone: 'America/New_York',
  closeTime: '16:00',
  tradingDays: weekdays,
});

describe('coach-call markets', () => {
  it("asks the standard question and closes at 16:00 New York time on the plan's date", () => {
    const spec = coachCallMarketSpec(plan, options('2026-11-27T14:00:00Z'));
    expect(spec.input).toMatchObject({
      question: "Will Coach D's plan for 2026-11-27 work out?",
      mechanism: 'cpmm',
      options: ['Yes', 'No'],
      closesAt: '2026-11-27T21:00:00.000Z',
      planId: 7,
      coachId: 'd',
    });
    expect(spec.note).toBeNull();
  });

  it("refuses a market on a plan whose day's close has passed: its outcome may be known", () => {
    expect(() => coachCallMarketSpec(plan, options('2026-11-27T21:30:00Z'))).toThrow(
      expect.objectContaining({ code: 'MARKET_CLOSED', message: expect.stringContaining('has passed') }),
    );
    // One minute before the close it still opens, for that minute.
    expect(coachCallMarketSpec(plan, options('2026-11-27T20:59:00Z')).closesOn).toBe('2026-11-27');
    // A holiday's plan whose next trading day has closed too.
    expect(() =>
      coachCallMarketSpec({ ...plan, tradingDate: '2026-11-26' }, options('2026-11-27T21:00:00Z')),
    ).toThrow(expect.objectContaining({ code: 'MARKET_CLOSED' }));
  });

  it('moves a plan on a holiday to the next trading day, across daylight saving', () => {
    const spec = coachCallMarketSpec({ ...plan, tradingDate: '2026-11-26' }, options('2026-11-26T12:00:00Z'));
    expect(spec.closesOn).toBe('2026-11-27');
    expect(spec.note).toContain('not a trading day');
    const summer = coachCallMarketSpec(
      { ...plan, tradingDate: '2026-07-06' },
      options('2026-07-06T12:00:00Z'),
    );
    expect(summer.input.closesAt).toBe('2026-07-06T20:00:00.000Z');
  });

  it("closes at the exchange's early close when it comes before the configured time, and says so", () => {
    // NYSE closes at 13:00 New York time on the day after Thanksgiving (2026-11-27: 18:00 UTC).
    const nyse = { ...options('2026-11-27T14:00:00Z'), tradingDays: NYSE_TRADING_DAYS };
    const spec = coachCallMarketSpec(plan, nyse);
    expect(spec.input.closesAt).toBe('2026-11-27T18:00:00.000Z');
    expect(spec.note).toBe(
      'The exchange closes early on 2026-11-27, so the market closes at 13:00 America/New_York time.',
    );
    // From the holiday before it, the move says the early time, not the configured one.
    const fromHoliday = coachCallMarketSpec({ ...plan, tradingDate: '2026-11-26' }, nyse);
    expect(fromHoliday.input.closesAt).toBe('2026-11-27T18:00:00.000Z');
    expect(fromHoliday.note).toContain('closes at 13:00 America/New_York time');
    expect(fromHoliday.note).not.toContain('16:00');
    // After the early close, no market opens on that day's plan.
    expect(() => coachCallMarketSpec(plan, { ...nyse, now: new Date('2026-11-27T18:30:00Z') })).toThrow(
      expect.objectContaining({ code: 'MARKET_CLOSED' }),
    );
    // A configured close before the early one stays.
    const noon = coachCallMarketSpec(plan, { ...nyse, closeTime: '12:00' });
    expect(noon.input.closesAt).toBe('2026-11-27T17:00:00.000Z');
    expect(noon.note).toBeNull();
  });

  it('closes no later than the exchange in a zone west of New York, where 16:00 comes after it', () => {
    // 16:00 in Los Angeles is 19:00 in New York, three hours after the bell: the day's outcome is known by then.
    const monday = { ...plan, tradingDate: '2026-11-30' };
    const west = {
      now: new Date('2026-11-30T15:00:00Z'),
      timezone: 'America/Los_Angeles',
      closeTime: '16:00',
      tradingDays: NYSE_TRADING_DAYS,
    };
    const spec = coachCallMarketSpec(monday, west);
    expect(spec.input.closesAt).toBe('2026-11-30T21:00:00.000Z');
    expect(spec.note).toBeNull();
    // Posted at 14:00 Los Angeles time, after the bell: no market, though 16:00 there is still to come.
    expect(() => coachCallMarketSpec(monday, { ...west, now: new Date('2026-11-30T22:00:00Z') })).toThrow(
      expect.objectContaining({ code: 'MARKET_CLOSED' }),
    );
    // From a weekend, the move names the time it really closes at.
    const fromSunday = coachCallMarketSpec({ ...plan, tradingDate: '2026-11-29' }, west);
    expect(fromSunday.input.closesAt).toBe('2026-11-30T21:00:00.000Z');
    expect(fromSunday.note).toContain('closes at 16:00 America/New_York time');
    // In summer too (16:00 EDT is 20:00 UTC), and Honolulu, further west.
    const july = coachCallMarketSpec(
      { ...plan, tradingDate: '2026-07-06' },
      { ...west, timezone: 'Pacific/Honolulu', now: new Date('2026-07-06T12:00:00Z') },
    );
    expect(july.input.closesAt).toBe('2026-07-06T20:00:00.000Z');
    // East of New York the configured time comes first and stays: 16:00 UTC is 11:00 in New York.
    const utc = coachCallMarketSpec(monday, {
      ...west,
      timezone: 'UTC',
      now: new Date('2026-11-30T12:00:00Z'),
    });
    expect(utc.input.closesAt).toBe('2026-11-30T16:00:00.000Z');
  });
});

describe('the coach scoreboard', () => {
  it('counts resolved calls, the hit rate, the crowd at close and its Brier score', () => {
    // P(YES) = n / (y + n) at p = 0.5: 0.75 and 0.25.
    const markets = [
      callMarket(1, 100, 300, { kind: 'option', option: 0 }),
      callMarket(2, 300, 100, { kind: 'option', option: 1 }),
      callMarket(3, 100, 100, null),
    ];
    const board = coachScoreboard('d', markets);
    expect(board).toMatchObject({ callsResolved: 2, hits: 1, hitRate: 0.5 });
    expect(board.averageCrowdProbability).toBeCloseTo(0.5, 12);
    // (0.75 − 1)² and (0.25 − 0)²: the crowd was right both times, with 75% confidence.
    expect(board.brierScore).toBeCloseTo(0.0625, 12);
    expect(coachScoreboard('x', markets).hitRate).toBeNull();
  });

  it("counts a plan once however many markets name it: more markets on one plan do not farm a coach's hits", () => {
    const yes = { kind: 'option', option: 0 } as const;
    const no = { kind: 'option', option: 1 } as const;
    const markets = [
      callMarket(1, 300, 100, no, 7),
      callMarket(2, 100, 300, yes, 7),
      callMarket(3, 100, 300, yes, 7),
      callMarket(4, 100, 300, yes, 8),
    ];
    // Plan 7's call is its first market (resolved No), plan 8's its only one.
    expect(coachScoreboard('d', markets)).toMatchObject({ callsResolved: 2, hits: 1, hitRate: 0.5 });
    // A cancelled first market gives way to the next one that was not cancelled.
    const cancelled = { ...callMarket(5, 100, 100, null, 9), status: 'cancelled' as const };
    const board = coachScoreboard('d', [
      cancelled,
      callMarket(6, 100, 300, yes, 9),
      callMarket(7, 1, 3, no, 9),
    ]);
    expect(board).toMatchObject({ callsResolved: 1, hits: 1 });
  });
});
