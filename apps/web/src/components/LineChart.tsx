import { lazy, Suspense } from 'react';
import type { ChartSeries } from '../markets/market-shapes';

// uPlot is loaded only by pages that draw a chart, so the landing page does not pay for it.
const UPlotChart = lazy(() => import('./UPlotChart'));

export interface LineChartProps {
  /** Names the chart for screen readers, e.g. "Probability over time". */
  readonly title: string;
  readonly data: ChartSeries;
  readonly height?: number;
  /** The configured timezone: the time axis shows local times there, as everything else does. */
  readonly timezone?: string | undefined;
  /** Hold each value until the next point: a market's price stays put between trades. */
  readonly stepped?: boolean;
  /** The time axis spans at least this long, centred on the points (one point alone has no span). */
  readonly minSpanSeconds?: number;
  /**
   * The points are calendar dates (trading dates at noon UTC), not instants: they are shown as those dates,
   * the same in every viewer's zone, without a clock time.
   */
  readonly dates?: boolean;
}

/** A probability-over-time line chart (0–100%), with a text summary for those who cannot see it. */
export function LineChart({
  title,
  data,
  height = 240,
  timezone,
  stepped,
  minSpanSeconds,
  dates,
}: LineChartProps) {
  if (data.times.length === 0) return <p className="muted">No history to chart yet.</p>;
  return (
    <figure className="line-chart">
      <Suspense fallback={<div style={{ height }} aria-busy="true" />}>
        <UPlotChart
          title={title}
          data={data}
          height={height}
          timezone={timezone}
          stepped={stepped ?? false}
          minSpanSeconds={minSpanSeconds ?? 3600}
          dates={dates ?? false}
        />
      </Suspense>
      <figcaption className="visually-hidden">
        {title}: {data.series.map((series) => `${series.label} ${lastValueText(series.values)}`).join(', ')}
      </figcaption>
    </figure>
  );
}

function lastValueText(values: readonly (number | null)[]): string {
  const last = [...values].reverse().find((value) => value !== null);
  return last === undefined || last === null ? 'no data' : `now ${Math.round(last * 100)}%`;
}
