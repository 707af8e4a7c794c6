import { InsufficientBalanceError } from '../shared/errors.js';
import { type AccountKey, accountKind, mayGoNegative, type TransferDraft } from './accounts.js';

/**
 * The transfers one decision writes, with the balances they lead to. Every debit is checked against the
 * balance as loaded inside the operation's write transaction plus the transfers before it, so no account but
 * the house can go below 0. Balances of accounts that were not loaded are tracked as deltas from 0.
 */
export class LedgerDraft {
  readonly transfers: TransferDraft[] = [];
  readonly #balances: Map<AccountKey, number>;

  constructor(balances: ReadonlyMap<AccountKey, number>) {
    this.#balances = new Map(balances);
    this.#loaded = new Set(balances.keys());
  }

  readonly #loaded: ReadonlySet<AccountKey>;

  balance(key: AccountKey): number {
    return this.#balances.get(key) ?? 0;
  }

  /** Appends a transfer; refuses a non-positive or fractional amount and any overdraft. */
  transfer(draft: Omit<TransferDraft, 'settlement' | 'reverses' | 'memo'> & Partial<TransferDraft>): void {
    if (!Number.isSafeInteger(draft.amount) || draft.amount <= 0) {
      throw new Error(`transfer amount must be a positive integer, got ${draft.amount}`);
    }
    const fromBalance = this.balance(draft.from) - draft.amount;
    // Accounts the operation did not load (the rounding account) are guarded by storage's CHECK instead.
    if (fromBalance < 0 && !mayGoNegative(draft.from) && this.#loaded.has(draft.from)) {
      if (accountKind(draft.from) === 'user') {
        throw InsufficientBalanceError.forMember(this.balance(draft.from), draft.amount);
      }
      throw new Error(`${draft.from} would go below 0 (${fromBalance})`);
    }
    const toBalance = this.balance(draft.to) + draft.amount;
    // Whole numbers are exact only up to 2^53; the rules bound every amount far below that.
    if (!Number.isSafeInteger(fromBalance) || !Number.isSafeInteger(toBalance)) {
      throw new Error(`a balance would leave the exact integer range (${draft.from} → ${draft.to})`);
    }
    this.#balances.set(draft.from, fromBalance);
    this.#balances.set(draft.to, toBalance);
    this.transfers.push({ settlement: null, reverses: null, memo: null, ...draft });
  }
}
