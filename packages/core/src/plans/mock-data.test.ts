import { describe, expect, it } from 'vitest';
import { isTradingDay } from '../shared/trading-calendar.js';
import { DEFAULT_COACHES } from './coaches.js';
import { generateMockPlans, mockCoachAuthor, mockDiscordId, mockPlanUpdate } from './mock-data.js';
import { MOCK_TICKERS } from './mock-prices.js';
import { MAX_PLAN_TEXT_LENGTH } from './plan-rules.js';

const PINNED_COACH_D_ID = '1191168914228029812';
const PRICE = /\b\d{1,4}\.\d{2}\b/g;

describe('mock plans', () => {
  const plans = generateMockPlans({ coaches: DEFAULT_COACHES, endDate: '2026-11-30', days: 14, seed: 1 });

  it('are the same for the same options', () => {
    expect(plans).toEqual(
      generateMockPlans({ coaches: DEFAULT_COACHES, endDate: '2026-11-30', days: 14, seed: 1 }),
    );
  });

  it('cover every coach on each NYSE trading day only, skipping weekends and Thanksgiving', () => {
    const dates = [...new Set(plans.map((plan) => plan.tradingDate))];
    expect(dates).toEqual([
      '2026-11-17',
      '2026-11-18',
      '2026-11-19',
      '2026-11-20',
      '2026-11-23',
      '2026-11-24',
      '2026-11-25',
      '2026-11-27',
      '2026-11-30',
    ]);
    expect(dates.every(isTradingDay)).toBe(true);
    expect(plans).toHaveLength(dates.length * DEFAULT_COACHES.length);
  });

  it('read like a coach plan: ticker, bias, entry, stop and targets near the ticker price', () => {
    for (const plan of plans) {
      const [title, idea] = plan.text.split('\n');
      expect(title).toContain(plan.tradingDate);
      const ticker = /^([A-Z]{2,4}) /.exec(idea ?? '')?.[1];
      expect(Object.keys(MOCK_TICKERS), plan.text).toContain(ticker);
      expect(idea).toMatch(/ (long above|short below|neutral: range) /);
      expect(plan.text).toMatch(/stop \d+\.\d{2}|Stop \d+\.\d{2}/i);
      expect(plan.text).toMatch(/target/i);
      // Every price of the main idea is within a quarter of the ticker's reference price.
      const reference = MOCK_TICKERS[ticker!]!.price / 100;
      for (const price of (idea ?? '').match(PRICE) ?? [])
        expect(Math.abs(Number(price) - reference) / reference, `${price} in ${idea}`).toBeLessThan(0.25);
    }
    expect(plans.some((plan) => plan.text.includes('long above'))).toBe(true);
    expect(plans.some((plan) => plan.text.includes('short below'))).toBe(true);
  });

  it('mention an early close on the day after Thanksgiving', () => {
    const friday = plans.filter((plan) => plan.tradingDate === '2026-11-27');
    expect(friday.every((plan) => plan.text.split('\n')[0]?.endsWith('(early close 13:00 ET)'))).toBe(true);
  });

  it('give every plan of the last day a chart whose levels are the plan levels', () => {
    const last = plans.filter((plan) => plan.tradingDate === '2026-11-30');
    for (const plan of last) {
      const chart = plan.charts[0]!;
      expect(chart.candles).toHaveLength(40);
      expect(chart.candles.at(-1)?.date).toBe('2026-11-27');
      for (const candle of chart.candles) {
        expect(candle.high).toBeGreaterThanOrEqual(Math.max(candle.open, candle.close));
        expect(candle.low).toBeLessThanOrEqual(Math.min(candle.open, candle.close));
      }
      const entry = chart.levels.find((level) => level.kind === 'entry')!;
      expect(plan.text).toContain((entry.price / 100).toFixed(2));
    }
    expect(plans.some((plan) => plan.charts.length === 0)).toBe(true);
    expect(plans.some((plan) => plan.edits.length > 0)).toBe(true);
  });
});

describe('mock identities', () => {
  it('are fixed snowflakes, one per key, the same on every run', () => {
    const ids = DEFAULT_COACHES.map((coach) => mockCoachAuthor(coach.id).id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^\d{17,20}$/);
    // Pinned: a change here would orphan every plan earlier mock runs wrote.
    expect(mockDiscordId('coach/d')).toBe(mockCoachAuthor('d').id);
    expect(mockDiscordId('coach/d')).toBe(PINNED_COACH_D_ID);
    expect(plansAuthors()).toEqual(new Set(ids));
  });
});

function plansAuthors(): Set<string> {
  const plans = generateMockPlans({ coaches: DEFAULT_COACHES, endDate: '2026-11-30', days: 3 });
  return new Set(plans.map((plan) => plan.author.id));
}

describe('mock plan updates', () => {
  it('keep a plan updated all day within the length limit, showing the newest update', () => {
    const [plan] = generateMockPlans({ coaches: DEFAULT_COACHES, endDate: '2026-11-30', days: 1, seed: 1 });
    let text = plan!.text;
    for (let minute = 0; minute < 8 * 60; minute += 2) {
      const time = `${String(9 + Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
      text = mockPlanUpdate(text, time);
    }
    expect(text.length).toBeLessThanOrEqual(MAX_PLAN_TEXT_LENGTH);
    expect(text.startsWith(plan!.text)).toBe(true);
    expect(text.match(/^Update \d{2}:\d{2} ET/gm)).toEqual(['Update 16:58 ET']);
  });
});
