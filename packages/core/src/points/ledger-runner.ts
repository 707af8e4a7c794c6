import {
  DEFAULT_MARKET_SETTINGS,
  type MarketServiceOptions,
  type MarketSettings,
  NYSE_TRADING_DAYS,
  type TradingDays,
} from '../markets/market-settings.js';
import { type AdminPolicy, NO_ADMINS } from '../plans/authorization.js';
import { type Clock, systemClock } from '../shared/clock.js';
import { ValidationError } from '../shared/errors.js';
import { requestFingerprint } from '../shared/request-fingerprint.js';
import {
  isStoredRefusal,
  isValidIdempotencyKey,
  refusalToStore,
  type StoredRefusal,
  storedRefusalError,
} from './idempotency.js';
import type {
  LedgerDecision,
  LedgerEffects,
  LedgerLoad,
  LedgerSnapshot,
  LedgerStore,
} from './ledger-port.js';

/** What a refused request changes: nothing but its idempotency record. */
const NO_EFFECTS: LedgerEffects = {
  transfers: [],
  dailyClaims: [],
  market: null,
  positions: [],
  trades: [],
  events: [],
  audit: [],
};

/** A request's guild and idempotency key (the Discord interaction id, or the API's Idempotency-Key). */
export interface RequestContext {
  readonly guildId: string;
  readonly idempotencyKey: string;
  /** Told when the key was used before and the first result is returned again. */
  readonly onReplay?: (() => void) | undefined;
}

/**
 * What the market and points services share: their resolved options, the clock, and running one keyed
 * operation as a single ledger transaction (load, decide, store, idempotency record).
 */
export class LedgerRunner {
  readonly settings: MarketSettings;
  readonly timezone: string;
  readonly tradingDays: TradingDays;
  readonly admins: AdminPolicy;
  readonly #store: LedgerStore;
  readonly #clock: Clock;

  constructor(store: LedgerStore, options: MarketServiceOptions) {
    this.#store = store;
    this.#clock = options.clock ?? systemClock;
    this.admins = options.admins ?? NO_ADMINS;
    this.settings = { ...DEFAULT_MARKET_SETTINGS, ...options.settings };
    this.timezone = options.timezone;
    this.tradingDays = options.tradingDays ?? NYSE_TRADING_DAYS;
  }

  /** The clock's instant as a Date (the clock counts epoch milliseconds). */
  now(): Date {
    return new Date(this.#clock.now());
  }

  /**
   * Runs `decide` over the loaded snapshot in one transaction, exactly once per idempotency key. A refusal
   * `decide` throws (not enough points, market closed, …) is kept under the key like a result and thrown
   * again to every retry: the key's one effect is that refusal.
   */
  async execute<R>(
    context: RequestContext,
    operation: string,
    request: unknown,
    load: LedgerLoad,
    decide: (snapshot: LedgerSnapshot) => LedgerDecision<R>,
  ): Promise<R> {
    if (!isValidIdempotencyKey(context.idempotencyKey)) {
      throw new ValidationError('An idempotency key is 1 to 200 visible ASCII characters.', 'idempotencyKey');
    }
    // The refusal this call's own decision threw, thrown as it was; a replay throws the stored copy.
    let refused: unknown;
    const result = await this.#store.execute<R | StoredRefusal>({
      guildId: context.guildId,
      now: this.now().toISOString(),
      clock: () => this.now().toISOString(),
      idempotency: {
        key: context.idempotencyKey,
        fingerprint: requestFingerprint(operation, { guildId: context.guildId, request }),
      },
      onReplay: context.onReplay,
      load,
      decide: (snapshot) => {
        try {
          return decide(snapshot);
        } catch (error) {
          const refusal = refusalToStore(error);
          if (refusal === undefined) throw error;
          refused = error;
          return { result: refusal, effects: NO_EFFECTS };
        }
      },
    });
    if (isStoredRefusal(result)) throw refused ?? storedRefusalError(result);
    return result;
  }
}
