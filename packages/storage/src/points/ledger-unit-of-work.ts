import {
  type AccountKey,
  accountKind,
  escrowAccount,
  type LedgerEffects,
  type LedgerOperation,
  type LedgerSnapshot,
  type Market,
  type Transfer,
  type UserAccount,
  userAccount,
} from '@coachwire/core';
import {
  type SettlementTransferRow,
  toMarket,
  toPosition,
  toTransfer,
  toUserAccount,
} from '../markets/market-rows.js';
import {
  changedOptionPools,
  eventDomain,
  isNewMarket,
  marketLifecycleChanged,
  resolutionColumns,
} from './ledger-effects.js';
import type { LedgerStatements } from './ledger-statements.js';

/**
 * Loads an operation's snapshot and writes its effects, both inside the caller's IMMEDIATE transaction.
 * Knows SQL and nothing of the rules: every decision is core's.
 */
export class LedgerUnitOfWork {
  readonly #stmts: LedgerStatements;
  /** Account ids by guild and key; ids never change once assigned, so the cache is safe across transactions. */
  readonly #accountIds = new Map<string, number>();

  constructor(statements: LedgerStatements) {
    this.#stmts = statements;
  }

  loadMarket(marketId: number): Market | null {
    const row = this.#stmts.marketById.get({ id: marketId });
    if (!row) return null;
    const escrow = this.#stmts.accountByKey.get({ guildId: row.guildId, key: escrowAccount(marketId) });
    return toMarket(row, this.#stmts.optionsOfMarket.all({ marketId }), escrow?.balance ?? 0);
  }

  /** The snapshot `operation` decides on, at `now` (the time read inside the transaction). */
  load<R>(operation: LedgerOperation<R>, now = operation.now): LedgerSnapshot {
    const { guildId, load } = operation;
    const market = load.marketId === undefined ? null : this.loadMarket(load.marketId);
    const userIds = new Set(load.userIds);
    let positions = [] as LedgerSnapshot['positions'];
    if (market && market.guildId === guildId) {
      userIds.add(market.creatorId);
      if (load.allPositions) {
        positions = this.#stmts.positionsOfMarket.all({ marketId: market.id }).map(toPosition);
        for (const position of positions) userIds.add(position.userId);
      } else {
        positions = load.userIds.flatMap((userId) =>
          this.#stmts.positionsOfUser.all({ marketId: market.id, userId }).map(toPosition),
        );
      }
    }
    const users = new Map<string, UserAccount | null>();
    for (const userId of userIds) {
      const row = this.#stmts.accountByKey.get({ guildId, key: userAccount(userId) });
      users.set(userId, toUserAccount(userId, row));
    }
    const settlementTransfers: Transfer[] =
      market && load.settlementTransfers
        ? this.#stmts.settlementTransfers
            .all({ marketId: market.id, settlement: market.settlements })
            // Keys and kinds are stored as text; these rows hold the ledger's own.
            .map((row) => toTransfer(row as SettlementTransferRow))
        : [];
    const nextIds = this.#stmts.nextIds.get();
    return {
      guildId,
      now,
      users,
      market: market && market.guildId === guildId ? market : null,
      positions,
      settlementTransfers,
      nextMarketId: nextIds?.marketId ?? 1,
      nextTradeId: nextIds?.tradeId ?? 1,
    };
  }

  apply(guildId: string, now: string, snapshot: LedgerSnapshot, effects: LedgerEffects): void {
    const stmts = this.#stmts;
    if (effects.market) this.#writeMarket(effects.market, snapshot);
    for (const transfer of effects.transfers) {
      const fromAccountId = this.#accountId(guildId, transfer.from, now);
      const toAccountId = this.#accountId(guildId, transfer.to, now);
      stmts.insertTransfer.run({
        guildId,
        fromAccountId,
        toAccountId,
        amount: transfer.amount,
        kind: transfer.kind,
        marketId: transfer.marketId,
        settlement: transfer.settlement,
        reversesId: transfer.reverses,
        memo: transfer.memo,
        createdAt: now,
      });
      stmts.moveBalance.run({ fromId: fromAccountId, toId: toAccountId, amount: transfer.amount });
    }
    for (const claim of effects.dailyClaims) {
      stmts.setLastDailyDate.run({
        id: this.#accountId(guildId, userAccount(claim.userId), now),
        date: claim.tradingDate,
      });
    }
    for (const position of effects.positions) {
      stmts.upsertPosition.run({
        marketId: position.marketId,
        userId: position.userId,
        optionIndex: position.option,
        shares: position.shares,
        invested: position.invested,
        takenOut: position.takenOut,
        payout: position.payout,
      });
    }
    // Trade ids are the ones the decision announced (its result carries them); inside the write lock no other
    // writer can take them, and the primary key refuses a mismatch, which rolls the whole operation back.
    for (const [index, trade] of effects.trades.entries()) {
      stmts.insertTrade.run({
        id: snapshot.nextTradeId + index,
        guildId,
        marketId: trade.marketId,
        userId: trade.userId,
        optionIndex: trade.option,
        side: trade.side,
        points: trade.points,
        shares: trade.shares,
        probabilitiesBefore: JSON.stringify(trade.probabilitiesBefore),
        probabilitiesAfter: JSON.stringify(trade.probabilitiesAfter),
        createdAt: now,
      });
    }
    for (const event of effects.events) {
      stmts.insertEvent.run({
        domain: eventDomain(event.type),
        type: event.type,
        guildId,
        marketId: event.marketId,
        payload: JSON.stringify(event.payload),
        occurredAt: now,
      });
    }
    for (const entry of effects.audit) stmts.insertAudit.run({ guildId, ...entry, createdAt: now });
  }

  #writeMarket(market: Market, snapshot: LedgerSnapshot): void {
    const stmts = this.#stmts;
    if (isNewMarket(market, snapshot)) {
      stmts.insertMarket.run({ ...market, settlements: market.settlements });
      for (const option of market.options) {
        stmts.insertOption.run({
          marketId: market.id,
          optionIndex: option.index,
          label: option.label,
          pool: option.pool,
        });
      }
    }
    const previous = snapshot.market;
    if (marketLifecycleChanged(previous, market))
      stmts.updateMarket.run({
        id: market.id,
        closesAt: market.closesAt,
        status: market.status,
        ...resolutionColumns(market),
        settledAt: market.settledAt,
        settledBy: market.settledBy,
        settlements: market.settlements,
      });
    for (const option of changedOptionPools(previous, market)) {
      stmts.updateOptionPool.run({ marketId: market.id, optionIndex: option.index, pool: option.pool });
    }
  }

  #accountId(guildId: string, key: AccountKey, now: string): number {
    const cacheKey = `${guildId}\u0000${key}`;
    const cached = this.#accountIds.get(cacheKey);
    if (cached !== undefined) return cached;
    let id = this.#stmts.accountByKey.get({ guildId, key })?.id;
    if (id === undefined) {
      const kind = accountKind(key);
      const inserted = this.#stmts.insertAccount.get({
        guildId,
        key,
        kind,
        userId: kind === 'user' ? key.slice('user:'.length) : null,
        marketId: kind === 'escrow' ? Number(key.slice('escrow:'.length)) : null,
        createdAt: now,
      });
      if (!inserted) throw new Error('INSERT ... RETURNING returned no row');
      id = inserted.id;
    }
    // Only cache ids of committed-or-about-to-commit rows; a rolled-back insert is forgotten by forget().
    this.#pending.push(cacheKey);
    this.#accountIds.set(cacheKey, id);
    return id;
  }

  readonly #pending: string[] = [];

  /** A point to forget back to when one operation of a group is rolled back to its savepoint. */
  mark(): number {
    return this.#pending.length;
  }

  /** Called after a rollback to a savepoint: account ids first seen since `mark` may not exist. */
  forgetSince(mark: number): void {
    for (const key of this.#pending.splice(mark)) this.#accountIds.delete(key);
  }

  /** Called after a rollback: account ids first seen in that transaction may not exist. */
  forgetUncommitted(): void {
    for (const key of this.#pending) this.#accountIds.delete(key);
    this.#pending.length = 0;
  }

  /** Called after a commit. */
  committed(): void {
    this.#pending.length = 0;
  }
}
