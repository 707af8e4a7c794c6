import type { MarketStats } from '@coachwire/core';
import type { MarketReadStatements } from './market-read-statements.js';

const TRADE_BATCH = 5_000;
/** Markets whose figures are kept; the least recently used beyond this are recomputed when asked again. */
const MAX_MARKETS = 2_000;

interface Tally {
  volume: number;
  readonly users: Set<string>;
}

/**
 * Volume and bettors per market without rescanning a busy market's positions on every read (a market with
 * 20,000 bettors took milliseconds per summary): each market is counted once from its positions, then kept
 * current from the trades appended since, found by walking the trade log's primary key. Trades are
 * append-only and come from every process through the database, so the tally never drifts. Must run inside a
 * read transaction, so the first count and the trade cursor see the same snapshot.
 */
export class MarketStatsMemo {
  #cursor: number | undefined;
  readonly #tallies = new Map<number, Tally>();

  statsOf(statements: MarketReadStatements, marketIds: readonly number[]): Map<number, MarketStats> {
    this.#advance(statements);
    const stats = new Map<number, MarketStats>();
    for (const marketId of marketIds) {
      let tally = this.#tallies.get(marketId);
      if (tally) {
        this.#tallies.delete(marketId);
      } else {
        tally = {
          volume: statements.volumeOfMarket.get({ marketId })?.volume ?? 0,
          users: new Set(statements.bettorsOfMarket.all({ marketId }).map((row) => row.userId)),
        };
      }
      this.#tallies.set(marketId, tally);
      stats.set(marketId, { volume: tally.volume, bettors: tally.users.size });
    }
    while (this.#tallies.size > MAX_MARKETS) {
      const oldest = this.#tallies.keys().next();
      if (oldest.done) break;
      this.#tallies.delete(oldest.value);
    }
    return stats;
  }

  #advance(statements: MarketReadStatements): void {
    if (this.#cursor === undefined) {
      this.#cursor = statements.latestTradeId.get()?.id ?? 0;
      return;
    }
    for (;;) {
      const rows = statements.tradesAfter.all({ afterId: this.#cursor, limit: TRADE_BATCH });
      for (const row of rows) {
        const tally = this.#tallies.get(row.marketId);
        if (tally) {
          tally.volume += row.points;
          tally.users.add(row.userId);
        }
        this.#cursor = row.id;
      }
      if (rows.length < TRADE_BATCH) return;
    }
  }
}
