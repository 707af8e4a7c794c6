// Shared by the markets benchmark and its second-process worker.
import type { MarketService } from '@coachwire/core';

export interface Timing {
  readonly name: string;
  readonly ops: number;
  readonly seconds: number;
  readonly samples: bigint[];
  /** CPU time the process spent, in microseconds: the cost of the work apart from waiting for a core. */
  readonly cpuMicros?: number;
}

export function percentile(sorted: readonly bigint[], fraction: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
  return Number(sorted[Math.max(0, index)]) / 1000;
}

export function summary(timing: Timing) {
  const sorted = [...timing.samples].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    operation: timing.name,
    ops: timing.ops,
    'ops/s': Math.round(timing.ops / timing.seconds),
    'p50 µs': percentile(sorted, 0.5).toFixed(1),
    'p99 µs': percentile(sorted, 0.99).toFixed(1),
    'max µs': percentile(sorted, 1).toFixed(1),
    'CPU µs/op': timing.cpuMicros === undefined ? '' : (timing.cpuMicros / timing.ops).toFixed(1),
  };
}

/** Places `count` bets one after another by users `${prefix}0..${users-1}`, timing each at the service. */
export async function sequentialBets(
  markets: MarketService,
  guildId: string,
  marketId: number,
  options: { count: number; users: number; prefix: string; name: string },
): Promise<Timing> {
  const samples: bigint[] = new Array(options.count);
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (let index = 0; index < options.count; index += 1) {
    const user = `${options.prefix}${index % options.users}`;
    const before = process.hrtime.bigint();
    await markets.buy(
      { id: user, name: user },
      { guildId, idempotencyKey: `${options.prefix}-seq-${index}` },
      {
        marketId,
        option: index % 2,
        points: 1 + (index % 5),
      },
    );
    samples[index] = process.hrtime.bigint() - before;
  }
  const used = process.cpuUsage(cpu);
  return {
    name: options.name,
    ops: options.count,
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
    samples,
    cpuMicros: used.user + used.system,
  };
}
