import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Router } from 'wouter';
import { CoachScoreboard, confidenceSeries } from './CoachScoreboardSection';
import { coachCalls, cpmmMarket, poolMarket } from './fixtures';
import { MarketSummary } from './MarketSummary';
import { historySeries } from './market-shapes';
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
        resolution: { outcome: 'MKT', label: null, probability: 0.62 },
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

describe('market history', () => {
  it('charts each option by its id, oldest point first, with a gap where an option has no value', () => {
    const chart = historySeries(
      {
        market_id: 7,
        data: [
          { at: '2026-11-20T15:00:00Z', probabilities: { '0': 0.6, '1': 0.4 } },
          { at: '2026-11-20T14:00:00Z', probabilities: { '0': 0.5 } },
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
      { label: 'No', values: [null, 0.4] },
    ]);
  });

  it('holds the last prices until the given moment, and never moves a point back', () => {
    const history = { market_id: 7, data: [{ at: '2026-11-20T14:00:00Z', probabilities: { '0': 0.6 } }] };
    const start = Date.parse('2026-11-20T14:00:00Z') / 1000;
    const held = historySeries(history, cpmmMarket.options, start + 600);
    expect(held.times).toStrictEqual([start, start + 600]);
    expect(held.series[0]!.values).toStrictEqual([0.6, 0.6]);
    expect(historySeries(history, cpmmMarket.options, start - 600).times).toStrictEqual([start]);
  });
});
