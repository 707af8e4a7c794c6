import { describe, expect, it } from 'vitest';
import { RequestMetrics } from './request-metrics.js';

const noSources = { countLivePlans: async () => 0, eventLag: async () => 0 };

describe('RequestMetrics', () => {
  it('exposes counts and a cumulative histogram with +Inf, sum and count per method, route and status', async () => {
    const metrics = new RequestMetrics(noSources);
    metrics.observe('GET', '/a', 200, 0.5);
    metrics.observe('GET', '/a', 200, 1);
    metrics.observe('GET', '/a', 200, 5);
    metrics.observe('GET', '/a', 200, 3000);
    metrics.observe('GET', '/a', 404, 2);
    metrics.observe('POST', '/a', 200, 20);
    const text = await metrics.registry.metrics();
    const requests = 'coachwire_api_requests_total';
    expect(text).toContain(`${requests}{method="GET",route="/a",status="200"} 4`);
    expect(text).toContain(`${requests}{method="GET",route="/a",status="404"} 1`);
    expect(text).toContain(`${requests}{method="POST",route="/a",status="200"} 1`);
    const duration = 'coachwire_api_request_duration_seconds';
    expect(text).toContain(`# TYPE ${duration} histogram`);
    const series = 'method="GET",route="/a",status="200"';
    expect(text).toContain(`${duration}_bucket{le="0.001",${series}} 2`);
    expect(text).toContain(`${duration}_bucket{le="0.01",${series}} 3`);
    expect(text).toContain(`${duration}_bucket{le="+Inf",${series}} 4`);
    expect(text).toContain(`${duration}_sum{${series}} 3.0065`);
    expect(text).toContain(`${duration}_count{${series}} 4`);
    expect(text).toContain(`${duration}_bucket{le="0.01",method="POST",route="/a",status="200"} 0`);
    expect({ total: metrics.total, success: metrics.success, error: metrics.error }).toStrictEqual({
      total: 6,
      success: 5,
      error: 1,
    });
  });

  it('keeps counting across scrapes and starts over when the registry is reset', async () => {
    const metrics = new RequestMetrics(noSources);
    metrics.observe('GET', '/b', 200, 50);
    await metrics.registry.metrics();
    metrics.observe('GET', '/b', 200, 50);
    expect(await metrics.registry.metrics()).toContain(
      'coachwire_api_requests_total{method="GET",route="/b",status="200"} 2',
    );
    metrics.registry.resetMetrics();
    expect(await metrics.registry.metrics()).not.toContain('route="/b"');
  });
});
