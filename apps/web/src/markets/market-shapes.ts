import type { MarketHistory, MarketOption } from './market-types';

/** What a line chart draws: x in Unix seconds, one series of probabilities (0..1) per option. */
export interface ChartSeries {
  readonly times: number[];
  readonly series: { label: string; values: (number | null)[] }[];
}

/**
 * `/markets/{id}/history` as chart series, oldest first: one series per option, read by the option's id
 * (a point without that option is a gap, not a zero). Points with an unreadable time are left out.
 * With `until` (Unix seconds: now, or when trading stopped) the last prices are held up to that moment,
 * since a market's price stays put between trades.
 */
export function historySeries(
  history: MarketHistory,
  options: readonly MarketOption[],
  until?: number,
): ChartSeries {
  const points = history.data
    // Fractional seconds: trades a few milliseconds apart stay in order on the time axis.
    .map((point) => ({ time: Date.parse(point.at) / 1000, probabilities: point.probabilities }))
    .filter((point) => Number.isFinite(point.time))
    .sort((a, b) => a.time - b.time);
  const last = points.at(-1);
  if (last && until !== undefined && until > last.time) points.push({ ...last, time: until });
  return {
    times: points.map((point) => point.time),
    series: options.map((option) => ({
      label: option.label,
      values: points.map((point) => point.probabilities[String(option.id)] ?? null),
    })),
  };
}
