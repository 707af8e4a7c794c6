import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { LineChartProps } from './LineChart';

// Series differ by dash pattern as well as colour, so they can be told apart without colour.
const STROKES = ['#2563eb', '#d97706', '#059669', '#db2777', '#7c3aed', '#0891b2'];
const DASHES: number[][] = [[], [8, 4], [2, 3], [12, 4, 2, 4], [4, 4], [1, 6]];

function cssVariable(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/** The uPlot drawing behind LineChart; sized to its container and redrawn when that resizes. */
export default function UPlotChart({
  title,
  data,
  height = 240,
  timezone,
  stepped,
  minSpanSeconds = 3600,
  dates = false,
}: LineChartProps) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const text = cssVariable('--text-muted', '#555');
    const grid = cssVariable('--border', '#ddd');
    const paths = stepped ? uPlot.paths.stepped?.({ align: 1 }) : undefined;
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const options: uPlot.Options = {
      width: Math.max(200, element.clientWidth),
      height,
      scales: {
        // uPlot stretches a lone point over years: give the axis at least minSpanSeconds, around the data.
        x: { auto: false, range: timeRange(data.times, minSpanSeconds) },
        y: { range: [0, 1] },
      },
      // Without a zone uPlot uses the viewer's: a trading date at noon UTC is the next day in New Zealand.
      ...(dates || timezone
        ? { tzDate: (seconds: number) => uPlot.tzDate(new Date(seconds * 1000), dates ? 'UTC' : timezone!) }
        : {}),
      axes: [axis, { ...axis, values: (_chart, ticks) => ticks.map((tick) => `${Math.round(tick * 100)}%`) }],
      series: [
        dates ? { value: '{YYYY}-{MM}-{DD}' } : {},
        ...data.series.map((series, index) => ({
          label: series.label,
          stroke: STROKES[index % STROKES.length]!,
          dash: DASHES[index % DASHES.length]!,
          width: 2,
          spanGaps: true,
          ...(paths ? { paths } : {}),
          value: (_chart: uPlot, value: number | null) =>
            value === null ? '–' : `${Math.round(value * 100)}%`,
        })),
      ],
    };
    const plot = new uPlot(options, [data.times, ...data.series.map((series) => series.values)], element);
    const observer = new ResizeObserver(() =>
      plot.setSize({ width: Math.max(200, element.clientWidth), height }),
    );
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [data, height, timezone, stepped, minSpanSeconds, dates]);
  return <div ref={container} className="uplot-host" role="img" aria-label={title} />;
}

/** The time axis: from the first to the last point, widened around its middle to at least minSpan. */
function timeRange(times: readonly number[], minSpan: number): [number, number] {
  const first = Math.min(...times);
  const last = Math.max(...times);
  const widen = Math.max(0, minSpan - (last - first)) / 2;
  return [first - widen, last + widen];
}
