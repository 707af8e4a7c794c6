import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Router } from 'wouter';
import { CoachScoreboard, confidenceSeries } from './CoachScoreboardSection';
import { coachCalls, cpmmMarket, poolMarket } from './fixtures';
import { MarketSummary } from './MarketSummary';
import { normalizeHistory, normalizeLeaderboard, normalizeTrades } from './market-shapes';
import { describeResolution, headlineOption, ProbabilityBars } from './ProbabilityBars';

const render = (node: ReactNode) => renderToStaticMarkup(<Router ssrPath="/markets">{node}</Router>);
const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const NOW = new Date('2026-11-20T15:00:00Z');

describe('ProbabilityBars', () => {
  it("writes each AMM option's probability out, with a bar of the same width", () => {
    const html = render(<ProbabilityBars market={cpmmMarket} />);
    expect(textOf(html)).toContain('Yes 62%');
    expect(textOf(html)).toContain('No 38%');
    expect(html).toContain('style="width:62%"');
    expect(html).toContain('aria-label="Probability per option"');
  });

  it("shows a parimutuel option's share of the pot, its stake and its odds", () => {
    const text = textOf(render(<ProbabilityBars market={poolMarket} />));
    expect(text).toContain('Above 600 75% of the pot · 300 pts · odds 1.33×');
    expect(text).toContain('Below 590 0% of the pot · 0 pts · odds –');
  });
});

describe('MarketSummary', () => {
  it('links the question and shows volume, bettors and time to close', () => {
    const html = render(<MarketSummary market={cpmmMarket} now={NOW} />);
    expect(html).toContain('href="/markets/7"');
    expect(textOf(html)).toContain('12,500 pts traded · 14 bettors · closes in 6 h');
  });

  it("says how a market resolved, by the option's label", () => {
    expect(textOf(render(<MarketSummary market={poolMarket} now={NOW} />))).toContain('Resolved: Above 600');
    expect(
      describeResolution({
        ...cpmmMarket,
        status: 'resolved',
        resolution: { outcome: 'MKT', probability: 0.62 },
      }),
    ).toBe('Resolved: MKT at 62%');
    expect(describeResolution({ ...cpmmMarket, status: 'cancelled' })).toBe('Cancelled: stakes refunded');
    expect(describeResolution(cpmmMarket)).toBeNull();
  });

  it('takes "Yes" as the headline option of a binary market', () => {
    expect(headlineOption(cpmmMarket)?.label).toBe('Yes');
    expect(headlineOption(poolMarket)?.label).toBe('Above 600');
  });
});

describe('CoachScoreboard', () => {
  it('shows calls, hit rate, crowd confidence and the Brier score', () => {
    const text = textOf(render(<CoachScoreboard calls={coachCalls} />));
    expect(text).toContain('Calls 3');
    expect(text).toContain('Hit rate 50%');
    expect(text).toContain('Average crowd confidence 55%');
    expect(text).toContain('0.125');
  });

  it('charts the crowd confidence of resolved calls, oldest first', () => {
    const series = confidenceSeries(coachCalls.calls);
    expect(series.times).toStrictEqual([
      Date.parse('2026-11-16T12:00:00Z') / 1000,
      Date.parse('2026-11-18T12:00:00Z') / 1000,
    ]);
    expect(series.series[0]!.values).toStrictEqual([0.4, 0.7]);
  });
});

describe('market response shapes', () => {
  it('reads history points with probabilities keyed by option id', () => {
    const chart = normalizeHistory(
      {
        data: [
          { at: '2026-11-20T15:00:00Z', probabilities: { '71': 0.6, '72': 0.4 } },
          { at: '2026-11-20T14:00:00Z', probabilities: { '71': 0.5, '72': 0.5 } },
        ],
      },
      cpmmMarket.options,
    );
    expect(chart.times).toStrictEqual([
      Date.parse('2026-11-20T14:00:00Z') / 1000,
      Date.parse('2026-11-20T15:00:00Z') / 1000,
    ]);
    expect(chart.series).toStrictEqual([
      { label: 'Yes', values: [0.5, 0.6] },
      { label: 'No', values: [0.5, 0.4] },
    ]);
  });

  it('reads history points with a list of option probabilities', () => {
    const chart = normalizeHistory(
      [{ timestamp: 1_795_700_000, options: [{ option_id: 71, probability: 0.7 }] }],
      cpmmMarket.options,
    );
    expect(chart.times).toStrictEqual([1_795_700_000]);
    expect(chart.series[0]!.values).toStrictEqual([0.7]);
    expect(chart.series[1]!.values).toStrictEqual([null]);
  });

  it('drops trades and leaderboard rows it cannot show, and ranks by order', () => {
    expect(
      normalizeTrades({ data: [{ id: 1, option_id: 71, amount: 50, shares: 80, user_id: 'u' }, { id: 2 }] }),
    ).toHaveLength(1);
    expect(
      normalizeLeaderboard({
        data: [{ user_id: 'a', profit: 30 }, { user_id: 'b', profit: -5 }, { nope: 1 }],
      }),
    ).toStrictEqual([
      { user_id: 'a', profit: 30, rank: 1 },
      { user_id: 'b', profit: -5, rank: 2 },
    ]);
  });
});
