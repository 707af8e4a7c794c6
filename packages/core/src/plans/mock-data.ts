import { previousTradingDay, tradingDayInfo } from '../shared/trading-calendar.js';
import {
  formatCents as $,
  MOCK_TICKERS,
  type MockCandle,
  mockCandlesBefore,
  mockClose,
  mockDailyRange,
  roundLevel,
  tradingDaysEndingAt,
  unitNoise,
} from './mock-prices.js';
import type { Author, Coach } from './types.js';

/** A mock Discord user: always has an id. */
export type MockAuthor = Author & { readonly id: string };

/** A price line drawn on a mock chart, in cents. */
export interface MockChartLevel {
  readonly price: number;
  readonly kind: 'entry' | 'stop' | 'target' | 'level';
}

/** A chart screenshot a mock coach attaches: the daily bars before the plan's date and the plan's levels. */
export interface MockChart {
  readonly filename: string;
  readonly width: number;
  readonly height: number;
  readonly ticker: string;
  readonly candles: readonly MockCandle[];
  readonly levels: readonly MockChartLevel[];
}

/** A plan the mock data provider makes up, with its charts and later edits. */
export interface MockPlan {
  readonly coach: string;
  readonly tradingDate: string;
  readonly text: string;
  readonly author: MockAuthor;
  readonly charts: readonly MockChart[];
  /** Texts the plan is edited to afterwards, in order. */
  readonly edits: readonly string[];
}

/** A trade idea: one ticker, a side and its levels (cents). */
interface TradeIdea {
  readonly ticker: string;
  readonly bias: 'long' | 'short' | 'neutral';
  readonly lastClose: number;
  readonly entry: number;
  readonly stop: number;
  readonly targets: readonly [number, number];
}

const STYLE: Record<string, { title: string; reach: number; trigger: string }> = {
  d: { title: 'Day plan', reach: 0.6, trigger: 'a 5-min close' },
  i: { title: 'Intraday levels', reach: 0.4, trigger: 'a 1-min hold' },
  s: { title: 'Swing watchlist', reach: 1.8, trigger: 'a daily close' },
  n: { title: 'News & events', reach: 0.7, trigger: 'a post-release 5-min close' },
};
const EVENTS = [
  'CPI 08:30 ET',
  'jobless claims 08:30 ET',
  'retail sales 08:30 ET',
  'ISM services 10:00 ET',
  'FOMC minutes 14:00 ET',
  'a 10-year auction 13:00 ET',
  'Fed speakers through the afternoon',
];
const TICKERS = Object.keys(MOCK_TICKERS);
const CHART_SIZE = { width: 800, height: 450 };
const CHART_CANDLES = 40;

/** 2024-01-01T00:00:00Z in Discord's epoch: the creation time every mock id claims. */
const MOCK_ID_EPOCH_OFFSET_MS = 1_704_067_200_000n - 1_420_070_400_000n;

/**
 * The Discord-style id (snowflake) of a mock-mode entity, the same on every run: mock plans are authored by
 * these ids, so a restarted mock bot (or `coachwire mock`) may still edit the plans it posted before.
 * `key` names the entity, e.g. `coach/d`, `guild`, `channel/trading-plans`.
 */
export function mockDiscordId(key: string): string {
  const low22 = BigInt(Math.floor(unitNoise(`mock-id/${key}`) * 0x400000));
  return ((MOCK_ID_EPOCH_OFFSET_MS << 22n) | low22).toString();
}

/**
 * Whether `id` is a mock-mode id (mockDiscordId): every one claims creation at exactly 2024-01-01T00:00:00Z.
 * A real Discord user created in that millisecond is not a case worth a second thought.
 */
export function isMockDiscordId(id: string): boolean {
  return /^\d{1,20}$/.test(id) && BigInt(id) >> 22n === MOCK_ID_EPOCH_OFFSET_MS;
}

/** The mock Discord user who posts a coach's plans in mock mode. */
export function mockCoachAuthor(coachId: string): MockAuthor {
  return { id: mockDiscordId(`coach/${coachId}`), name: `coach_${coachId}_mock` };
}

/**
 * Plans that read like the real coaches' for every coach on each NYSE trading day among the `days` dates ending
 * at `endDate`: a ticker, a bias, entries, stops and targets near the ticker's price that day, and charts of the
 * same prices. The same options give the same plans. Plans on `endDate` always have a chart.
 */
export function generateMockPlans(options: {
  readonly coaches: readonly Coach[];
  readonly endDate: string;
  readonly days: number;
  readonly seed?: number;
}): MockPlan[] {
  const seed = options.seed ?? 42;
  const plans: MockPlan[] = [];
  for (const tradingDate of tradingDaysEndingAt(options.endDate, options.days)) {
    for (const coach of options.coaches) {
      const roll = (what: string) => unitNoise(`${seed}/${coach.id}/${tradingDate}/${what}`);
      const pick = <T>(items: readonly T[], what: string): T => items[Math.floor(roll(what) * items.length)]!;
      const style = STYLE[coach.id] ?? { title: `${coach.name} plan`, reach: 0.8, trigger: 'a 5-min close' };
      const main = tradeIdea(pick(TICKERS, 'ticker'), tradingDate, style.reach, roll('bias'));
      const second = tradeIdea(pick(TICKERS, 'second'), tradingDate, style.reach, roll('bias2'));
      const lines = [
        headline(style.title, tradingDate),
        ...ideaLines(main, style.trigger),
        second.ticker === main.ticker ? null : shortLine(second),
        coach.id === 'n' ? `Calendar: ${pick(EVENTS, 'event')}; size down into it.` : null,
        `Risk: ${pick(['0.5', '1', '1'], 'risk')}R max per idea; no adds past the stop.`,
      ].filter((line): line is string => line !== null);
      const withChart = tradingDate === options.endDate || roll('chart') < 0.7;
      const withSecondChart = withChart && second.ticker !== main.ticker && roll('chart2') < 0.3;
      const charts = [
        ...(withChart ? [chartOf(coach.id, tradingDate, main)] : []),
        ...(withSecondChart ? [chartOf(coach.id, tradingDate, second)] : []),
      ];
      const text = lines.join('\n');
      const edits = roll('edit') < 0.25 ? [`${text}\n${updateLine(main)}`] : [];
      plans.push({
        coach: coach.id,
        tradingDate,
        text,
        author: mockCoachAuthor(coach.id),
        charts,
        edits,
      });
    }
  }
  return plans;
}

const UPDATE_LINE = /\nUpdate \d{2}:\d{2} ET: [^\n]*$/;

/**
 * A plan's text with a live update a coach adds during the session (`time` as 'HH:MM' exchange time). The update
 * replaces the previous one: mock mode updates a plan every few minutes all day, and appended updates would soon
 * pass the length limit and have every later edit refused.
 */
export function mockPlanUpdate(text: string, time: string): string {
  return `${text.replace(UPDATE_LINE, '')}\nUpdate ${time} ET: levels holding; trail the stop to entry after the first target.`;
}

function tradeIdea(ticker: string, tradingDate: string, reach: number, roll: number): TradeIdea {
  const lastClose = mockClose(ticker, previousTradingDay(tradingDate));
  const range = mockDailyRange(ticker, lastClose) * reach;
  const bias = roll < 0.45 ? 'long' : roll < 0.85 ? 'short' : 'neutral';
  const sign = bias === 'short' ? -1 : 1;
  const entry = roundLevel(lastClose + sign * range * 0.15);
  const risk = Math.max(roundLevel(range * 0.5), 10);
  return {
    ticker,
    bias,
    lastClose,
    entry,
    stop: entry - sign * risk,
    targets: [roundLevel(entry + sign * risk * 1.5), entry + sign * risk * 3],
  };
}

function headline(title: string, tradingDate: string): string {
  const weekday = new Date(`${tradingDate}T12:00:00Z`).toLocaleDateString('en-US', {
    weekday: 'short',
    timeZone: 'UTC',
  });
  const early = tradingDayInfo(tradingDate).earlyClose;
  return `${title} for ${weekday} ${tradingDate}${early ? ` (early close ${early} ET)` : ''}`;
}

function ideaLines(idea: TradeIdea, trigger: string): string[] {
  const { ticker, entry, stop, targets } = idea;
  if (idea.bias === 'neutral') {
    const low = roundLevel(Math.min(stop, entry) + Math.abs(entry - stop) * 0.2);
    const high = roundLevel(Math.max(targets[0], entry));
    return [
      `${ticker} neutral: range ${$(low)}–${$(high)} (closed ${$(idea.lastClose)}); no trades in the middle.`,
      `• Long a reclaim of ${$(low)}, stop ${$(low - Math.abs(entry - stop))}, target ${$(high)}`,
      `• Short a rejection at ${$(high)}, stop ${$(high + Math.abs(entry - stop))}, target ${$(low)}`,
    ];
  }
  const long = idea.bias === 'long';
  return [
    `${ticker} ${long ? 'long above' : 'short below'} ${$(entry)} (closed ${$(idea.lastClose)})`,
    `• Entry ${$(entry)} on ${trigger} ${long ? 'above' : 'below'}, not the first touch`,
    `• Stop ${$(stop)}`,
    `• Targets ${$(targets[0])} / ${$(targets[1])}`,
    `• ${long ? 'Support' : 'Resistance'} ${$(stop)} · ${long ? 'resistance' : 'support'} ${$(targets[0])}, ${$(targets[1])}`,
  ];
}

function shortLine(idea: TradeIdea): string {
  if (idea.bias === 'neutral')
    return `${idea.ticker}: chop around ${$(idea.lastClose)}, no edge; watching only.`;
  const side = idea.bias === 'long' ? 'long over' : 'short under';
  return `${idea.ticker}: ${side} ${$(idea.entry)}, stop ${$(idea.stop)}, target ${$(idea.targets[0])}.`;
}

function updateLine(idea: TradeIdea): string {
  return `Update: ${idea.ticker} tagged ${$(idea.targets[0])}; took a third off, stop to entry ${$(idea.entry)}.`;
}

function chartOf(coach: string, tradingDate: string, idea: TradeIdea): MockChart {
  return {
    filename: `${coach}-${tradingDate}-${idea.ticker.toLowerCase()}.png`,
    ...CHART_SIZE,
    ticker: idea.ticker,
    candles: mockCandlesBefore(idea.ticker, tradingDate, CHART_CANDLES),
    levels: [
      { price: idea.entry, kind: 'entry' },
      { price: idea.stop, kind: 'stop' },
      { price: idea.targets[0], kind: 'target' },
      { price: idea.targets[1], kind: 'target' },
    ],
  };
}
