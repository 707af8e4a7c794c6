/** Mutable counters behind `client.getMetrics()`; plain fields so the hot path only increments. */
export class ClientCounters {
  requests = 0;
  cacheHits = 0;
  cacheMisses = 0;
  revalidations = 0;
  staleServed = 0;
  coalesced = 0;
  apiSuccesses = 0;
  apiErrors = 0;
  apiRetries = 0;
}
