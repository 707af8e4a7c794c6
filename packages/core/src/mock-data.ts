import { addDays } from './dates.js';
import type { Author, Coach } from './types.js';

/** A plan the mock data provider makes up, with optional charts and later edits. */
export interface MockPlan {
  readonly coach: string;
  readonly tradingDate: string;
  readonly text: string;
  readonly author: Author;
  readonly charts: readonly { readonly filename: string; readonly width: number; readonly height: number }[];
  /** Texts the plan is edited to afterwards, in order. */
  readonly edits: readonly string[];
}

const TICKERS = ['SPY', 'QQQ', 'AAPL', 'NVDA', 'TSLA', 'MSFT', 'AMZN', 'META', 'IWM', 'AMD'];
const BIASES = [
  'bullish above',
  'bearish below',
  'neutral between',
  'watching a breakout over',
  'fading strength into',
];
const STYLE: Record<string, string> = {
  d: 'Day plan',
  i: 'Intraday levels',
  s: 'Swing watchlist',
  n: 'News & events',
};

/** Deterministic pseudo-random numbers (mulberry32) so mock data is the same on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Realistic plans for every coach over the weekdays of the `days` dates ending at `endDate`; some with charts,
 * some edited. `alwaysIncludeEndDate` gives the end date plans even on a weekend (mock mode's "today").
 */
export function generateMockPlans(options: {
  readonly coaches: readonly Coach[];
  readonly endDate: string;
  readonly days: number;
  readonly seed?: number;
  readonly alwaysIncludeEndDate?: boolean;
}): MockPlan[] {
  const next = random(options.seed ?? 42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const plans: MockPlan[] = [];
  for (let offset = options.days - 1; offset >= 0; offset--) {
    const tradingDate = addDays(options.endDate, -offset);
    const weekday = new Date(`${tradingDate}T12:00:00Z`).getUTCDay();
    const keepWeekend = options.alwaysIncludeEndDate === true && tradingDate === options.endDate;
    if ((weekday === 0 || weekday === 6) && !keepWeekend) continue;
    for (const [index, coach] of options.coaches.entries()) {
      const ticker = pick(TICKERS);
      const level = Math.round(100 + next() * 400);
      const lines = [
        `${STYLE[coach.id] ?? coach.name} for ${tradingDate}`,
        `• ${ticker}: ${pick(BIASES)} ${level}${next() > 0.5 ? `/${level + Math.round(next() * 10)}` : ''}`,
        `• ${pick(TICKERS)}: key level ${Math.round(50 + next() * 300)}, stop ${Math.round(40 + next() * 300)}`,
        `• Risk: ${Math.round(0.5 + next() * 2)}R max, size down before ${pick(['CPI', 'FOMC', 'NFP', 'earnings', 'the open'])}`,
      ];
      const chartCount = next() < 0.5 ? 0 : 1 + Math.floor(next() * 2);
      const charts = Array.from({ length: chartCount }, (_, chart) => ({
        filename: `${coach.id}-${tradingDate}-${chart + 1}.png`,
        width: 640,
        height: 360,
      }));
      const edits =
        next() < 0.25 ? [`${lines.join('\n')}\n• Update: ${ticker} hit the first target, trail stops.`] : [];
      plans.push({
        coach: coach.id,
        tradingDate,
        text: lines.join('\n'),
        author: { id: String(100000000000000000n + BigInt(index + 1)), name: `coach_${coach.id}_mock` },
        charts,
        edits,
      });
    }
  }
  return plans;
}
