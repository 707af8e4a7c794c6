import { MarketService, type MarketServiceOptions, PointsService } from '@coachwire/core';
import type { CoachwireDatabase } from '../database.js';
import { SqliteLedgerStore } from '../points/sqlite-ledger-store.js';

/** The market and points services over one database, for the composition root to call once per process. */
export interface MarketServices {
  readonly ledger: SqliteLedgerStore;
  readonly markets: MarketService;
  readonly points: PointsService;
}

export function createMarketServices(
  database: CoachwireDatabase,
  options: MarketServiceOptions,
): MarketServices {
  const ledger = new SqliteLedgerStore(database);
  return { ledger, markets: new MarketService(ledger, options), points: new PointsService(ledger, options) };
}
