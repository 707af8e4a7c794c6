import type { Market, Position, TradeDraft } from '../markets/market-types.js';
import { type AccountKey, escrowAccount, HOUSE_ACCOUNT, userAccount } from './accounts.js';
import { LedgerDraft } from './ledger-draft.js';
import type { AuditDraft, LedgerEffects, LedgerEventDraft, LedgerSnapshot } from './ledger-port.js';

/** Collects what one decision writes, starting from the snapshot it decides on. */
export class EffectsBuilder {
  readonly ledger: LedgerDraft;
  readonly snapshot: LedgerSnapshot;
  market: Market | null;
  readonly #positions = new Map<string, Position>();
  readonly #opened = new Set<string>();
  readonly trades: TradeDraft[] = [];
  readonly events: LedgerEventDraft[] = [];
  readonly audit: AuditDraft[] = [];
  readonly dailyClaims: { userId: string; tradingDate: string }[] = [];

  constructor(snapshot: LedgerSnapshot) {
    this.snapshot = snapshot;
    this.market = snapshot.market;
    const balances = new Map<AccountKey, number>();
    for (const [userId, account] of snapshot.users) balances.set(userAccount(userId), account?.balance ?? 0);
    if (snapshot.market) balances.set(escrowAccount(snapshot.market.id), snapshot.market.escrow);
    this.ledger = new LedgerDraft(balances);
    for (const position of snapshot.positions) this.#positions.set(positionKey(position), position);
  }

  /**
   * Opens the user's account with its starting grant on first use. The grant is a transfer from the house,
   * so the guild's balances still sum to 0.
   */
  ensureAccount(userId: string, startingBalance: number): void {
    if (!this.snapshot.users.has(userId)) throw new Error(`account of ${userId} was not loaded`);
    if (this.snapshot.users.get(userId) !== null || this.#opened.has(userId)) return;
    this.#opened.add(userId);
    if (startingBalance <= 0) return;
    this.ledger.transfer({
      from: HOUSE_ACCOUNT,
      to: userAccount(userId),
      amount: startingBalance,
      kind: 'starting_grant',
      marketId: null,
    });
    this.events.push({
      type: 'points.granted',
      marketId: null,
      payload: { userId, amount: startingBalance, kind: 'starting_grant' },
    });
  }

  userBalance(userId: string): number {
    return this.ledger.balance(userAccount(userId));
  }

  position(marketId: number, userId: string, option: number): Position {
    return (
      this.#positions.get(`${marketId}:${userId}:${option}`) ?? {
        marketId,
        userId,
        option,
        shares: 0,
        invested: 0,
        takenOut: 0,
        payout: 0,
      }
    );
  }

  allPositions(): Position[] {
    return [...this.#positions.values()];
  }

  setPosition(position: Position): void {
    this.#positions.set(positionKey(position), position);
    this.#changed.add(positionKey(position));
  }

  readonly #changed = new Set<string>();

  effects(): LedgerEffects {
    return {
      transfers: this.ledger.transfers,
      dailyClaims: this.dailyClaims,
      market: this.market === this.snapshot.market ? null : this.market,
      positions: [...this.#changed].map((key) => this.#positions.get(key)!),
      trades: this.trades,
      events: this.events,
      audit: this.audit,
    };
  }
}

function positionKey(position: Pick<Position, 'marketId' | 'userId' | 'option'>): string {
  return `${position.marketId}:${position.userId}:${position.option}`;
}
