import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

type RequestLabel = 'method' | 'route' | 'status';

/** Upper bounds of the request latency histogram, in seconds: cached reads take well under a millisecond. */
export const DURATION_BUCKETS_SECONDS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
];

const DURATION_NAME = 'coachwire_api_request_duration_seconds';

/** Async readings taken at scrape time (plan counts, event lag); each may throw when the database is down. */
export interface ScrapeSources {
  countLivePlans(): Promise<number>;
  eventLag(): Promise<number>;
}

/**
 * Request counters for `/metrics` (JSON) and Prometheus series for `/metrics/prometheus`, kept in a
 * Registry of this app's own so several apps (tests) never share or collide on the global one.
 */
export class RequestMetrics {
  readonly registry = new Registry();
  readonly startedAt = Date.now();
  total = 0;
  success = 0;
  error = 0;
  private readonly durations: Histogram<RequestLabel>;

  constructor(sources: ScrapeSources) {
    collectDefaultMetrics({ register: this.registry, prefix: 'coachwire_api_' });
    const durations = new Histogram({
      name: DURATION_NAME,
      help: 'Time from receiving a request to finishing its response.',
      labelNames: ['method', 'route', 'status'],
      buckets: DURATION_BUCKETS_SECONDS,
      registers: [this.registry],
    });
    this.durations = durations;
    new Counter({
      name: 'coachwire_api_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status.',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
      // Read from the histogram's _count series when scraped (prom-client's collect hook), so a request
      // validates, hashes and updates one label set instead of two; the numbers are the same.
      async collect() {
        this.reset();
        for (const sample of (await durations.get()).values) {
          if (sample.metricName === `${DURATION_NAME}_count`) this.inc(sample.labels, sample.value);
        }
      },
    });
    new Gauge({
      name: 'coachwire_api_plans',
      help: 'Live plans in the database.',
      registers: [this.registry],
      async collect() {
        try {
          this.set(await sources.countLivePlans());
        } catch {
          this.reset();
        }
      },
    });
    new Gauge({
      name: 'coachwire_api_event_lag',
      help: 'Plan events written to the database that the event stream has not sent yet.',
      registers: [this.registry],
      async collect() {
        try {
          this.set(await sources.eventLag());
        } catch {
          this.reset();
        }
      },
    });
  }

  /** Records one finished request. `route` is the route pattern, never the raw URL. */
  observe(method: string, route: string, status: number, durationMs: number): void {
    this.total++;
    if (status < 400) this.success++;
    else this.error++;
    this.durations.observe({ method, route, status: String(status) }, durationMs / 1000);
  }

  /** Seconds since the app was built. */
  get uptimeSeconds(): number {
    return (Date.now() - this.startedAt) / 1000;
  }
}
