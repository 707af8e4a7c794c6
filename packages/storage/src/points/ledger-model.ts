// The in-memory reference model of the model-based ledger test: what each user's balance and each market's
// positions must be after every request, rebuilt from the requests and replies alone (TigerBeetle's auditor
// idea). It shares no code with the ledger; settlements are recomputed here from the positions it tracked.
import { SHARE_UNIT } from '@coachwire/core';

export interface ModelPosition {
  shares: number;
  invested: number;
  takenOut: number;
}

export interface ModelMarket {
  id: number;
  mechanism: 'cpmm' | 'lmsr' | 'pool';
  creator: string;
  paidByHouse: boolean;
  closesAt: number;
  status: 'open' | 'resolved' | 'cancelled';
  settledAt: number | null;
  optionCount: number;
  positions: Map<string, ModelPosition>;
  /** What each user received from the current settlement (undone by unresolve). */
  received: Map<string, number>;
  /** The part of it paid for positions (the liquidity provider's return excluded). */
  positionPaid: Map<string, number>;
  /** ln k after each trade, for cpmm. */
  logK: number | null;
}

export class LedgerModel {
  now = Date.parse('2026-11-20T15:00:00.000Z');
  readonly balances = new Map<string, number>();
  readonly lastDaily = new Map<string, string>();
  readonly markets = new Map<number, ModelMarket>();
  nextMarketId = 1;

  /** A user's balance, opening the account with the starting grant on first use. */
  open(user: string): number {
    if (!this.balances.has(user)) this.balances.set(user, 1000);
    return this.balances.get(user)!;
  }

  credit(user: string, amount: number): void {
    this.balances.set(user, this.open(user) + amount);
  }

  phase(market: ModelMarket): 'open' | 'closed' | 'resolved' | 'cancelled' {
    if (market.status !== 'open') return market.status;
    return this.now < market.closesAt ? 'open' : 'closed';
  }

  position(market: ModelMarket, user: string, option: number): ModelPosition {
    const key = `${user}:${option}`;
    let position = market.positions.get(key);
    if (!position) {
      position = { shares: 0, invested: 0, takenOut: 0 };
      market.positions.set(key, position);
    }
    return position;
  }

  /** Pays what the settlement gives each user, remembering it for an unresolve. */
  pay(market: ModelMarket, perUser: Map<string, number>): void {
    market.received = new Map();
    for (const [user, amount] of perUser) {
      if (amount <= 0) continue;
      this.credit(user, amount);
      market.received.set(user, amount);
    }
  }

  /** Trader payouts of a resolution to `option` (the liquidity provider's return is handled by the caller). */
  resolutionPayouts(market: ModelMarket, option: number, escrow: number): Map<string, number> {
    const perUser = new Map<string, number>();
    const entries = [...market.positions.entries()].map(([key, position]) => {
      const [user, index] = key.split(':') as [string, string];
      return { user, option: Number(index), position };
    });
    if (market.mechanism !== 'pool') {
      for (const entry of entries) {
        if (entry.option !== option) continue;
        const payout = Math.floor(entry.position.shares / SHARE_UNIT);
        perUser.set(entry.user, (perUser.get(entry.user) ?? 0) + payout);
      }
      return perUser;
    }
    const winners = entries.filter((entry) => entry.option === option && entry.position.invested > 0);
    const winningStake = winners.reduce((sum, entry) => sum + entry.position.invested, 0);
    if (winningStake === 0) {
      for (const entry of entries)
        perUser.set(entry.user, (perUser.get(entry.user) ?? 0) + entry.position.invested);
      return perUser;
    }
    // Largest remainder over the winning stakes, ties to the earlier position (in insertion order here and
    // in user/option order in storage, which agree because the test's users are created in that order).
    const ordered = [...winners].sort((a, b) =>
      a.user < b.user ? -1 : a.user > b.user ? 1 : a.option - b.option,
    );
    const exact = ordered.map((entry) => BigInt(entry.position.invested) * BigInt(escrow));
    const parts = exact.map((value) => value / BigInt(winningStake));
    let left = escrow - parts.reduce((sum, part) => sum + Number(part), 0);
    const byRemainder = ordered
      .map((_, index) => ({ index, remainder: exact[index]! % BigInt(winningStake) }))
      .sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
    for (const { index } of byRemainder) {
      if (left === 0) break;
      parts[index] = parts[index]! + 1n;
      left -= 1;
    }
    ordered.forEach((entry, index) => {
      perUser.set(entry.user, (perUser.get(entry.user) ?? 0) + Number(parts[index]));
    });
    return perUser;
  }

  /** Refunds of a cancellation: net stakes, pro rata (floor) when the escrow is short. */
  cancellationRefunds(market: ModelMarket, escrow: number): { perUser: Map<string, number>; paid: number } {
    const net = new Map<string, number>();
    for (const [key, position] of market.positions) {
      const user = key.split(':')[0]!;
      net.set(user, (net.get(user) ?? 0) + position.invested - position.takenOut);
    }
    const owed = [...net.values()].reduce((sum, value) => sum + Math.max(0, value), 0);
    const perUser = new Map<string, number>();
    let paid = 0;
    for (const [user, value] of net) {
      const stake = Math.max(0, value);
      const refund = owed <= escrow ? stake : Number((BigInt(stake) * BigInt(escrow)) / BigInt(owed));
      perUser.set(user, refund);
      paid += refund;
    }
    return { perUser, paid };
  }
}
