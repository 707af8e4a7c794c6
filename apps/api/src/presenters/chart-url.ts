import { type CoachwireConfig, localApiUrl } from '@coachwire/config';
import type { Chart } from '@coachwire/core';

/** Produces the URL clients should use for a chart image. */
export type ChartUrlFor = (chart: Chart) => string;

/**
 * The base of the API's own chart URLs: `charts.public_base_url` when set, else the API's own address
 * (a wildcard listen address becomes 127.0.0.1; set `public_base_url` when clients are on other machines).
 */
export function chartsPublicBaseUrl(config: Pick<CoachwireConfig, 'api' | 'charts'>): string {
  const configured = config.charts.public_base_url.trim();
  if (configured !== '') return configured.replace(/\/+$/, '');
  return localApiUrl(config.api.host, config.api.port);
}

/**
 * The one place chart URLs are produced: an archived chart gets a stable URL served by this API (Discord's
 * signed attachment links expire within a day); one not archived (yet) keeps its original URL.
 */
export function chartUrlFor(publicBaseUrl: string): ChartUrlFor {
  const base = `${publicBaseUrl}/api/v1/charts/`;
  return (chart) => (chart.archiveStatus === 'archived' && chart.sha256 ? `${base}${chart.id}` : chart.url);
}
