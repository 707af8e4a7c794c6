import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { foldCounts, RequestTallies, TalliedHistogram } from './request-tallies.js';

function exposition(tallies: RequestTallies): Registry {
  const registry = new Registry();
  new Counter({
    name: 'requests_total',
    help: 'Requests.',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
    collect() {
      foldCounts(this, tallies);
    },
  });
  registry.registerMetric(new TalliedHistogram('duration_seconds', 'Durations.', tallies).asRegistryMetric());
  return registry;
}

describe('RequestTallies', () => {
  it('exposes counts and a cumulative histogram with +Inf, sum and count per method, route and status', async () => {
    const tallies = new RequestTallies([0.001, 0.01]);
    tallies.record('GET', '/a', 200, 0.0005);
    tallies.record('GET', '/a', 200, 0.001);
    tallies.record('GET', '/a', 200, 0.005);
    tallies.record('GET', '/a', 200, 3);
    tallies.record('GET', '/a', 404, 0.002);
    tallies.record('POST', '/a', 200, 0.02);
    const text = await exposition(tallies).metrics();
    expect(text).toContain('requests_total{method="GET",route="/a",status="200"} 4');
    expect(text).toContain('requests_total{method="GET",route="/a",status="404"} 1');
    expect(text).toContain('requests_total{method="POST",route="/a",status="200"} 1');
    expect(text).toContain('# TYPE duration_seconds histogram');
    const series = 'method="GET",route="/a",status="200"';
    expect(text).toContain(`duration_seconds_bucket{le="0.001",${series}} 2`);
    expect(text).toContain(`duration_seconds_bucket{le="0.01",${series}} 3`);
    expect(text).toContain(`duration_seconds_bucket{le="+Inf",${series}} 4`);
    expect(text).toContain(`duration_seconds_sum{${series}} 3.0065`);
    expect(text).toContain(`duration_seconds_count{${series}} 4`);
    expect(text).toContain('duration_seconds_bucket{le="0.01",method="POST",route="/a",status="200"} 0');
  });

  it('keeps counting across scrapes and starts over when the registry is reset', async () => {
    const tallies = new RequestTallies([0.1]);
    const registry = exposition(tallies);
    tallies.record('GET', '/b', 200, 0.05);
    await registry.metrics();
    tallies.record('GET', '/b', 200, 0.05);
    expect(await registry.metrics()).toContain('requests_total{method="GET",route="/b",status="200"} 2');
    registry.resetMetrics();
    const afterReset = await registry.metrics();
    expect(afterReset).not.toContain('route="/b"');
  });
});
