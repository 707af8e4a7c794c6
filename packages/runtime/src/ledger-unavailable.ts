import { type LedgerStore, type MarketReadStore, StorageUnavailableError } from '@coachwire/core';

const refuse = async (): Promise<never> => {
  throw new StorageUnavailableError(
    'Points and markets need the database; this process was built without it.',
  );
};

/** The ledger of a process built over plan fakes only (unit tests, the OpenAPI document): every call fails. */
export const ledgerUnavailable: LedgerStore = {
  execute: refuse,
  getMarket: refuse,
  listMarkets: refuse,
  staleMarketIds: refuse,
  positionsOf: refuse,
  userAccount: refuse,
  userFlows: refuse,
  coachCallMarkets: refuse,
  pruneIdempotencyKeys: refuse,
};

/** The market reads of a process built over plan fakes only: every call fails. */
export const marketReadsUnavailable: MarketReadStore = {
  marketById: refuse,
  listMarkets: refuse,
  tradesOf: refuse,
  historyOf: refuse,
  openPositionsOf: refuse,
  marketsOfPlans: refuse,
  countOpenMarkets: refuse,
  circulation: refuse,
};
