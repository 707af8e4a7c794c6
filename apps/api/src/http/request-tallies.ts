import type { Counter, Metric } from 'prom-client';

/** Requests of one (method, route, status): a count, a latency sum and per-bucket counts, as plain numbers. */
export interface RequestTally {
  readonly method: string;
  readonly route: string;
  readonly status: number;
  count: number;
  sumSeconds: number;
  /** Observations per bucket (not cumulative); the last slot is above the largest bound (+Inf). */
  readonly bucketCounts: number[];
}

/**
 * Per-request bookkeeping for the request series, cheap enough for every request: a Map lookup by route
 * pattern and a short scan, no label objects and no hashing. prom-client sees the totals at scrape time.
 */
export class RequestTallies {
  private readonly byRoute = new Map<string, RequestTally[]>();

  /** `bounds` are the histogram's upper bounds in seconds, ascending. */
  constructor(readonly bounds: readonly number[]) {}

  /** Adds one finished request. */
  record(method: string, route: string, status: number, seconds: number): void {
    let tallies = this.byRoute.get(route);
    if (tallies === undefined) {
      tallies = [];
      this.byRoute.set(route, tallies);
    }
    let tally: RequestTally | undefined;
    for (const candidate of tallies) {
      if (candidate.status === status && candidate.method === method) {
        tally = candidate;
        break;
      }
    }
    if (tally === undefined) {
      tally = { method, route, status, count: 0, sumSeconds: 0, bucketCounts: this.bounds.map(() => 0) };
      tally.bucketCounts.push(0);
      tallies.push(tally);
    }
    tally.count++;
    tally.sumSeconds += seconds;
    const bounds = this.bounds;
    let bucket = 0;
    // The same rule as prom-client: a value lands in the first bucket whose bound it does not exceed.
    while (bucket < bounds.length && seconds > bounds[bucket]!) bucket++;
    tally.bucketCounts[bucket]!++;
  }

  /** Forgets every tally. */
  clear(): void {
    this.byRoute.clear();
  }

  /** Every tally so far, in first-seen order per route. */
  *all(): IterableIterator<RequestTally> {
    for (const tallies of this.byRoute.values()) yield* tallies;
  }
}

/** Sets a labelled prom-client Counter to the tallies' counts; meant to run in the Counter's `collect`. */
export function foldCounts(counter: Counter<'method' | 'route' | 'status'>, tallies: RequestTallies): void {
  counter.reset();
  for (const tally of tallies.all()) {
    counter.inc({ method: tally.method, route: tally.route, status: String(tally.status) }, tally.count);
  }
}

interface HistogramValue {
  readonly labels: Record<string, string | number>;
  readonly value: number;
  readonly metricName: string;
}

/**
 * A Prometheus histogram read from RequestTallies at scrape time. prom-client's own Histogram can only
 * be fed one observation at a time (hashing its labels each time), so this object implements the part of
 * prom-client's metric contract its Registry uses (`name`, `help`, `type`, `aggregator`, `get`, `reset`)
 * and leaves the text format to the Registry. Buckets, `+Inf`, `_sum` and `_count` follow prom-client's
 * Histogram, labels in the same order (`le` first).
 */
export class TalliedHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly tallies: RequestTallies,
  ) {}

  /** The metric as prom-client's Registry expects it from `get()`. */
  async get(): Promise<{
    name: string;
    help: string;
    type: 'histogram';
    aggregator: 'sum';
    values: HistogramValue[];
  }> {
    const values: HistogramValue[] = [];
    const bucketName = `${this.name}_bucket`;
    for (const tally of this.tallies.all()) {
      const series = { method: tally.method, route: tally.route, status: String(tally.status) };
      let cumulative = 0;
      this.tallies.bounds.forEach((bound, index) => {
        cumulative += tally.bucketCounts[index]!;
        values.push({ labels: { le: bound, ...series }, value: cumulative, metricName: bucketName });
      });
      values.push({ labels: { le: '+Inf', ...series }, value: tally.count, metricName: bucketName });
      values.push({ labels: series, value: tally.sumSeconds, metricName: `${this.name}_sum` });
      values.push({ labels: series, value: tally.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  /** What Registry.resetMetrics() calls: starts the request series over (the Counter follows at its next collect). */
  reset(): void {
    this.tallies.clear();
  }

  /** This object typed as what Registry.registerMetric accepts (it uses only the members above). */
  asRegistryMetric(): Metric {
    return this as unknown as Metric;
  }
}
