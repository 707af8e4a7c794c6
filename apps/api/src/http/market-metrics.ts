import type { LoggedEvent, MarketReadStore, Mechanism } from '@coachwire/core';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { DURATION_BUCKETS_SECONDS } from './request-metrics.js';

/** Totals of bets seen since this process started, by mechanism (the JSON `/metrics` shows them too). */
export interface BetTotals {
  readonly bets: number;
  readonly volume: number;
}

/**
 * Market series for `/metrics/prometheus`. Bets are counted from `market.traded` events in the log, so bets
 * placed by the bot (another process) count as well as this API's; gauges read the database at scrape time.
 */
export class MarketMetrics {
  private readonly bets: Counter<'mechanism'>;
  private readonly volume: Counter<'mechanism'>;
  private readonly latency: Histogram;
  /** Mechanisms of the markets not settled yet: a settled market is forgotten (read again if unresolved). */
  private readonly mechanisms = new Map<number, Mechanism>();
  private readonly totals = new Map<Mechanism, { bets: number; volume: number }>();

  constructor(
    registry: Registry,
    private readonly reads: MarketReadStore,
    private readonly now: () => string,
  ) {
    this.bets = new Counter({
      name: 'coachwire_bets_total',
      help: 'Bets placed (buys), by mechanism, since this process started; from the event log.',
      labelNames: ['mechanism'],
      registers: [registry],
    });
    this.volume = new Counter({
      name: 'coachwire_bet_volume_points_total',
      help: 'Points staked by bets, by mechanism, since this process started.',
      labelNames: ['mechanism'],
      registers: [registry],
    });
    this.latency = new Histogram({
      name: 'coachwire_bet_duration_seconds',
      help: 'Time this API took to place a bet (POST /api/v1/markets/{id}/bets), ledger transaction included.',
      buckets: DURATION_BUCKETS_SECONDS,
      registers: [registry],
    });
    new Gauge({
      name: 'coachwire_markets_open',
      help: 'Markets taking trades now (unsettled, before their close time).',
      registers: [registry],
      async collect() {
        try {
          this.set(await reads.countOpenMarkets(now()));
        } catch {
          this.reset();
        }
      },
    });
    new Gauge({
      name: 'coachwire_points_in_circulation',
      help: 'Points outside the house (held by users, escrows and the rounding account), by guild.',
      labelNames: ['guild'],
      registers: [registry],
      async collect() {
        this.reset();
        try {
          for (const row of await reads.circulation()) this.set({ guild: row.guildId }, row.points);
        } catch {
          // Left empty while the database does not answer.
        }
      },
    });
  }

  /** Seconds a bet took, observed by the bet route. */
  observeBet(durationMs: number): void {
    this.latency.observe(durationMs / 1000);
  }

  /** Counts the bets among a batch of events from the poller. */
  async record(events: readonly LoggedEvent[]): Promise<void> {
    for (const event of events) {
      if (event.type === 'market.created' && event.marketId !== null) {
        this.mechanisms.set(event.marketId, event.payload.mechanism as Mechanism);
      }
      // A settled market takes no bets: its entry would only grow the map with every market ever opened.
      if (
        (event.type === 'market.resolved' || event.type === 'market.cancelled') &&
        event.marketId !== null
      ) {
        this.mechanisms.delete(event.marketId);
      }
      if (event.type !== 'market.traded' || event.payload.side !== 'buy' || event.marketId === null) continue;
      const mechanism = await this.mechanismOf(event.marketId);
      if (!mechanism) continue;
      const points = Number(event.payload.points) || 0;
      this.bets.inc({ mechanism });
      this.volume.inc({ mechanism }, points);
      const total = this.totals.get(mechanism) ?? { bets: 0, volume: 0 };
      this.totals.set(mechanism, { bets: total.bets + 1, volume: total.volume + points });
    }
  }

  /** The JSON `/metrics` markets section; null while the database does not answer. */
  async summary(): Promise<{
    open: number;
    bets: Record<string, BetTotals>;
    points_in_circulation: Record<string, number>;
  } | null> {
    try {
      const [open, circulation] = await Promise.all([
        this.reads.countOpenMarkets(this.now()),
        this.reads.circulation(),
      ]);
      return {
        open,
        bets: this.betTotals(),
        points_in_circulation: Object.fromEntries(circulation.map((row) => [row.guildId, row.points])),
      };
    } catch {
      return null;
    }
  }

  /** How many markets' mechanisms are remembered (for tests). */
  get rememberedMarkets(): number {
    return this.mechanisms.size;
  }

  /** Bets and volume by mechanism since start. */
  betTotals(): Record<string, BetTotals> {
    return Object.fromEntries(this.totals);
  }

  private async mechanismOf(marketId: number): Promise<Mechanism | undefined> {
    let mechanism = this.mechanisms.get(marketId);
    if (mechanism === undefined) {
      mechanism = (await this.reads.marketById(marketId))?.market.mechanism;
      if (mechanism !== undefined) this.mechanisms.set(marketId, mechanism);
    }
    return mechanism;
  }
}
