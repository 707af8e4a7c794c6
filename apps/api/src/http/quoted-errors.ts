import { CoachwireError } from '@coachwire/core';

/** PRICE_MOVED as the API answers it: the engine's error plus a fresh quote, so the client can decide again. */
export class QuotedPriceMovedError extends CoachwireError {
  readonly quote: unknown;

  constructor(cause: CoachwireError, quote: unknown) {
    super('PRICE_MOVED', cause.message, {
      cause,
      ...(cause.details ? { details: { ...cause.details } } : {}),
    });
    this.quote = quote;
  }
}
