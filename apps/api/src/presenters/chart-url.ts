import type { Chart } from '@coachwire/core';

/**
 * The URL clients should use for a chart image. The one place chart URLs are produced: chart archiving
 * swaps it for a stable URL served by the API without touching any route.
 */
export function chartUrl(chart: Chart): string {
  return chart.url;
}
