import { addDays } from '../shared/dates.js';
import { isTradingDay, previousTradingDay } from '../shared/trading-calendar.js';

// Made-up but plausible daily prices for mock mode: each ticker moves around a reference price near its real
// range (late 2025) with its own typical daily volatility. Every price is a pure function of (ticker, date),
// so the chart, the levels in the text and the next day's plan all agree, on every run. Prices are cents.

/** One daily bar, in cents. */
export interface MockCandle {
  readonly date: string;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

interface TickerProfile {
  /** Reference price in cents. */
  readonly price: number;
  /** Typical daily move as a fraction of the price. */
  readonly volatility: number;
}

/** The tickers mock coaches trade, with where they trade. */
export const MOCK_TICKERS: Readonly<Record<string, TickerProfile>> = {
  SPY: { price: 670_00, volatility: 0.008 },
  QQQ: { price: 600_00, volatility: 0.011 },
  IWM: { price: 245_00, volatility: 0.013 },
  AAPL: { price: 260_00, volatility: 0.015 },
  MSFT: { price: 510_00, volatility: 0.013 },
  NVDA: { price: 185_00, volatility: 0.027 },
  AMZN: { price: 225_00, volatility: 0.018 },
  META: { price: 700_00, volatility: 0.02 },
  TSLA: { price: 420_00, volatility: 0.035 },
  AMD: { price: 230_00, volatility: 0.03 },
};

/** A number in [0, 1) fixed by the key (FNV-1a hash, then one mulberry32 step). */
export function unitNoise(key: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index++) {
    hash ^= key.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  let t = (hash + 0x6d2b79f5) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

function profileOf(ticker: string): TickerProfile {
  const profile = MOCK_TICKERS[ticker];
  if (!profile) throw new RangeError(`no mock price profile for ${ticker}`);
  return profile;
}

/** The ticker's closing price on a date, in cents: slow swings around the reference plus daily noise. */
export function mockClose(ticker: string, date: string): number {
  const { price, volatility } = profileOf(ticker);
  const day = Date.parse(`${date}T00:00:00Z`) / 86_400_000;
  const phase = unitNoise(`${ticker}/phase`) * 2 * Math.PI;
  const swing =
    0.06 * Math.sin(day / 29 + phase) + 0.025 * Math.sin(day / 7.3 + 2 * phase) + 0.01 * Math.sin(day / 2.1);
  const noise = (unitNoise(`${ticker}/${date}/close`) - 0.5) * volatility;
  return Math.round(price * (1 + swing + noise));
}

/** The daily bar of a trading day, opening near the previous close. */
export function mockCandle(ticker: string, date: string): MockCandle {
  const { volatility } = profileOf(ticker);
  const previous = mockClose(ticker, previousTradingDay(date));
  const close = mockClose(ticker, date);
  const open = Math.round(previous * (1 + (unitNoise(`${ticker}/${date}/gap`) - 0.5) * volatility * 0.6));
  const reach = previous * volatility * 0.5;
  const high = Math.round(Math.max(open, close) + reach * unitNoise(`${ticker}/${date}/high`));
  const low = Math.round(Math.min(open, close) - reach * unitNoise(`${ticker}/${date}/low`));
  return { date, open, high, low, close };
}

/** The `count` daily bars of the trading days before `date` (oldest first): what a chart shows that morning. */
export function mockCandlesBefore(ticker: string, date: string, count: number): MockCandle[] {
  const candles: MockCandle[] = [];
  let day = date;
  while (candles.length < count) {
    day = previousTradingDay(day);
    candles.push(mockCandle(ticker, day));
  }
  return candles.reverse();
}

/** The ticker's typical daily range in cents at a price. */
export function mockDailyRange(ticker: string, price: number): number {
  return Math.round(price * profileOf(ticker).volatility);
}

/** Rounds cents to a level a coach would write: whole dimes, or nickels under $50. */
export function roundLevel(cents: number): number {
  const step = cents < 50_00 ? 5 : 10;
  return Math.round(cents / step) * step;
}

/** `12345` → `'123.45'`. */
export function formatCents(cents: number): string {
  return (cents / 100).toFixed(2);
}

/** The trading days among the `days` calendar days ending at `endDate`, oldest first. */
export function tradingDaysEndingAt(endDate: string, days: number): string[] {
  const dates: string[] = [];
  for (let offset = days - 1; offset >= 0; offset--) {
    const date = addDays(endDate, -offset);
    if (isTradingDay(date)) dates.push(date);
  }
  return dates;
}
