import {
  type AccountKey,
  accountKind,
  type LedgerDecision,
  type LedgerEffects,
  type LedgerOperation,
  type LedgerSnapshot,
  type Market,
  type Position,
  type UserAccount,
  userAccount,
} from '@coachwire/core';
import { appendEventsPg } from '../events/pg-event-append.js';
import {
  type MarketRow,
  type OptionRow,
  type PositionRow,
  type SettlementTransferRow,
  toMarket,
  toPosition,
  toTransfer,
  toUserAccount,
} from '../markets/market-rows.js';
import { PG_POSITION_COLUMNS, type PgQueryable, pgMarketsWhere } from '../markets/pg-market-sql.js';
import { isNewMarket, marketLifecycleChanged, resolutionColumns } from './ledger-effects.js';
import { applyEffectsValues } from './pg-ledger-apply.js';
import {
  PG_LOAD_MARKET_AND_LOCK_USERS,
  PG_LOCK_MARKET,
  PG_RESERVE_TRADES_AND_LOCK_ACCOUNTS,
} from './pg-ledger-load.js';
import {
  PG_APPLY_EFFECTS,
  PG_ENSURE_AND_LOCK_ACCOUNTS,
  PG_INSERT_MARKET,
  PG_INSERT_OPTIONS,
  PG_LOCK_ACCOUNTS,
  PG_RESERVE_IDS,
  PG_SETTLEMENT_TRANSFERS,
  PG_UPDATE_MARKET,
} from './pg-ledger-sql.js';

/** The ids a decision sees before any is reserved; a decision that uses one is decided again with real ids. */
const UNRESERVED_ID = 0;

/**
 * A prepared statement: named statements are parsed and planned once per pooled connection, and the client
 * skips the Parse message afterwards. Only for fixed texts (the name stands for the text).
 */
export function named(name: string, text: string, values: unknown[]) {
  return { name: `coachwire_ledger_${name}`, text, values };
}

/** Byte order, the order PG_LOCK_ACCOUNTS locks in (`COLLATE "C"`), so every transaction locks alike. */
const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

interface LoadedMarketRow {
  readonly accounts: (LockedAccount & { inserted: boolean })[] | null;
  readonly market: (MarketRow & { escrow: number; options: OptionRow[] | null }) | null;
  readonly positions: PositionRow[] | null;
}

interface LockedAccount {
  readonly id: number;
  readonly key: AccountKey;
  readonly balance: number;
  readonly lastDailyDate: string | null;
}

/**
 * One ledger operation inside the caller's PostgreSQL transaction (READ COMMITTED): lock, load, decide, write.
 * Knows SQL and nothing of the rules: every decision is core's. Lock order, the same for every operation so
 * two never wait on each other in a cycle: the idempotency row (by the caller), the market row, the accounts
 * the decision reads (users, by key), then the accounts only written (house, rounding, escrow, by key).
 */
export class PgLedgerUnit<R> {
  readonly #client: PgQueryable;
  readonly #operation: LedgerOperation<R>;
  readonly #accountIds = new Map<AccountKey, number>();
  /** User accounts inserted only to be locked: deleted again when the decision leaves them unused. */
  readonly #provisional = new Set<AccountKey>();
  /** The operation's time: the request's until its locks are held, then the clock's (LedgerOperation.clock). */
  #now: string;

  constructor(client: PgQueryable, operation: LedgerOperation<R>) {
    this.#client = client;
    this.#operation = operation;
    this.#now = operation.now;
  }

  /** Loads the snapshot, decides (again with reserved ids when it needs them), writes; returns the decision. */
  async run(): Promise<LedgerDecision<R>> {
    const snapshot = await this.#load();
    let decision = this.#operation.decide(snapshot);
    const reserved = await this.#reserveIds(snapshot, decision.effects);
    if (reserved) {
      // Ids are reserved only once a decision needs them, so a refused request burns none; the decision is
      // pure, so deciding again on the same snapshot differs only in the ids.
      const first = decision;
      const withIds = { ...snapshot, ...reserved.ids };
      decision = this.#operation.decide(withIds);
      if (shapeOf(first.effects, snapshot) !== shapeOf(decision.effects, withIds)) {
        throw new Error('a ledger decision changed shape when given reserved ids');
      }
      await this.#apply(withIds, decision, reserved.laterTradeIds);
    } else {
      await this.#apply(snapshot, decision, []);
    }
    return decision;
  }

  async #load(): Promise<LedgerSnapshot> {
    const { guildId, load } = this.#operation;
    const client = this.#client;
    let market: Market | null = null;
    const userIds = new Set(load.userIds);
    let positions: Position[] = [];
    let accounts: Map<AccountKey, LockedAccount> | undefined;
    if (load.marketId !== undefined) {
      // Locks the market row first: every operation on one market queues here. Its pools, positions and
      // escrow change only under this lock, so what is read after it stays true until commit.
      const { rows } = await client.query<{ guildId: string; creatorId: string }>(
        named('lock_market', PG_LOCK_MARKET, [load.marketId]),
      );
      const locked = rows[0]?.guildId === guildId ? rows[0] : undefined;
      if (locked && !load.allPositions) {
        // The usual case (a trade): the market, its positions of these users and their accounts, in one.
        userIds.add(locked.creatorId);
        const wanted = this.#unlocked([...userIds].map((userId) => userAccount(userId)));
        const loaded = await client.query<LoadedMarketRow>(
          named('load_market', PG_LOAD_MARKET_AND_LOCK_USERS, [
            ...this.#accountParams(wanted),
            load.marketId,
            load.userIds,
          ]),
        );
        const row = loaded.rows[0]!;
        market = row.market ? toMarket(row.market, row.market.options ?? [], row.market.escrow) : null;
        const found = (row.positions ?? []).map(toPosition);
        positions = load.userIds.flatMap((userId) => found.filter((p) => p.userId === userId));
        accounts = await this.#keepLocked(wanted, row.accounts ?? [], true);
      } else if (locked) {
        // Read in a later statement: READ COMMITTED gives each statement a fresh snapshot, so this one sees
        // what the previous holder of the lock committed (a scalar subquery in the locking one would not).
        market = (await pgMarketsWhere(client, 'm.id = $1', [load.marketId], undefined, 'ledger'))[0] ?? null;
      }
    }
    if (market && load.allPositions) {
      userIds.add(market.creatorId);
      const { rows } = await client.query<PositionRow>(
        named(
          'all_positions',
          `SELECT ${PG_POSITION_COLUMNS} FROM positions p WHERE p.market_id = $1
           ORDER BY p.user_id COLLATE "C", p.option_index`,
          [market.id],
        ),
      );
      positions = rows.map(toPosition);
      for (const position of positions) userIds.add(position.userId);
    }
    accounts ??= await this.#lockAccounts(
      [...userIds].map((userId) => userAccount(userId)),
      true,
    );
    const users = new Map<string, UserAccount | null>();
    for (const userId of userIds) {
      const key = userAccount(userId);
      users.set(userId, this.#provisional.has(key) ? null : toUserAccount(userId, accounts.get(key)));
    }
    const settlementTransfers =
      market && load.settlementTransfers
        ? (
            await client.query<SettlementTransferRow>(
              named('settlement_transfers', PG_SETTLEMENT_TRANSFERS, [market.id, market.settlements]),
            )
          ).rows.map(toTransfer)
        : [];
    // Every lock the decision reads under is held: the previous holder has committed, so it is dated before.
    this.#now = this.#operation.clock?.() ?? this.#operation.now;
    return {
      guildId,
      now: this.#now,
      users,
      market,
      positions,
      settlementTransfers,
      nextMarketId: UNRESERVED_ID,
      nextTradeId: UNRESERVED_ID,
    };
  }

  /**
   * Creates the missing accounts among `keys` and locks them all in byte order of their keys. An account
   * created here for a user only to be read (`provisional`) is one the snapshot reports as never used.
   */
  async #lockAccounts(
    keys: readonly AccountKey[],
    provisional: boolean,
  ): Promise<Map<AccountKey, LockedAccount>> {
    const wanted = this.#unlocked(keys);
    if (wanted.length === 0) return new Map();
    const { rows } = await this.#client.query<LockedAccount & { inserted: boolean }>(
      named('ensure_and_lock_accounts', PG_ENSURE_AND_LOCK_ACCOUNTS, this.#accountParams(wanted)),
    );
    return this.#keepLocked(wanted, rows, provisional);
  }

  /** The keys not locked yet, in lock order. */
  #unlocked(keys: readonly AccountKey[]): AccountKey[] {
    return [...new Set(keys)].filter((key) => !this.#accountIds.has(key)).sort(byKey);
  }

  /** Parameters $1 to $6 of PG_ENSURE_AND_LOCK_CTES for `wanted`. */
  #accountParams(wanted: readonly AccountKey[]): unknown[] {
    const kinds = wanted.map(accountKind);
    return [
      this.#operation.guildId,
      wanted,
      kinds,
      wanted.map((key, index) => (kinds[index] === 'user' ? key.slice('user:'.length) : null)),
      wanted.map((key, index) => (kinds[index] === 'escrow' ? Number(key.slice('escrow:'.length)) : null)),
      this.#now,
    ];
  }

  /** Records the rows PG_ENSURE_AND_LOCK_CTES locked, and locks any it could not see. */
  async #keepLocked(
    wanted: readonly AccountKey[],
    rows: readonly (LockedAccount & { inserted: boolean })[],
    provisional: boolean,
  ): Promise<Map<AccountKey, LockedAccount>> {
    const locked = new Map<AccountKey, LockedAccount>();
    const keep = (row: LockedAccount) => {
      locked.set(row.key, row);
      this.#accountIds.set(row.key, row.id);
    };
    for (const { inserted, ...row } of rows) {
      if (inserted && provisional) this.#provisional.add(row.key);
      keep(row);
    }
    // Committed by another transaction after the statement's snapshot (its insert waited for it): lock it now.
    const missing = wanted.filter((key) => !locked.has(key));
    if (missing.length > 0) {
      const late = await this.#client.query<LockedAccount>(
        named('lock_accounts', PG_LOCK_ACCOUNTS, [this.#operation.guildId, missing]),
      );
      for (const row of late.rows) keep(row);
    }
    return locked;
  }

  async #reserveIds(
    snapshot: LedgerSnapshot,
    effects: LedgerEffects,
  ): Promise<{ ids: { nextMarketId: number; nextTradeId: number }; laterTradeIds: number[] } | null> {
    const createsMarket = effects.market !== null && isNewMarket(effects.market, snapshot);
    if (!createsMarket && effects.trades.length === 0) return null;
    if (!createsMarket) {
      // A trade: the accounts it writes do not depend on the ids, so they are locked in the same statement.
      const wanted = this.#unlocked(writtenAccounts(effects));
      const { rows } = await this.#client.query<{
        accounts: (LockedAccount & { inserted: boolean })[] | null;
        trades: (string | number)[];
      }>(
        named('reserve_trades', PG_RESERVE_TRADES_AND_LOCK_ACCOUNTS, [
          ...this.#accountParams(wanted),
          effects.trades.length,
        ]),
      );
      await this.#keepLocked(wanted, rows[0]!.accounts ?? [], false);
      const tradeIds = rows[0]!.trades.map(Number);
      return {
        ids: { nextMarketId: UNRESERVED_ID, nextTradeId: tradeIds[0]! },
        laterTradeIds: tradeIds.slice(1),
      };
    }
    const { rows } = await this.#client.query<{ market: number | null; trades: (string | number)[] }>(
      named('reserve_ids', PG_RESERVE_IDS, [createsMarket, effects.trades.length]),
    );
    const tradeIds = rows[0]!.trades.map(Number);
    return {
      ids: {
        nextMarketId: createsMarket ? Number(rows[0]!.market) : UNRESERVED_ID,
        nextTradeId: tradeIds[0] ?? UNRESERVED_ID,
      },
      laterTradeIds: tradeIds.slice(1),
    };
  }

  async #apply(snapshot: LedgerSnapshot, decision: LedgerDecision<R>, laterTradeIds: number[]) {
    const { effects } = decision;
    const { guildId, idempotency } = this.#operation;
    const now = this.#now;
    if (effects.market) await this.#writeMarket(effects.market, snapshot);
    const written = writtenAccounts(effects);
    // Accounts only written come last in the lock order (the house is every mint's, so it is held briefly).
    await this.#lockAccounts(written, false);
    const unused = [...this.#provisional].filter((key) => !written.includes(key));
    await this.#client.query(
      named(
        'apply_effects',
        PG_APPLY_EFFECTS,
        applyEffectsValues({
          guildId,
          now,
          effects,
          snapshot,
          laterTradeIds,
          accountId: (key) => this.#accountIds.get(key)!,
          unused,
          idempotencyKey: idempotency?.key ?? null,
          resultJson: idempotency ? JSON.stringify(decision.result ?? null) : null,
        }),
      ),
    );
  }

  /** Appends the decision's events: last, just before commit, as they take the event log's lock. */
  async appendEvents(effects: LedgerEffects): Promise<void> {
    const { guildId } = this.#operation;
    const now = this.#now;
    await appendEventsPg(
      this.#client,
      effects.events.map((event) => ({
        type: event.type,
        guildId,
        marketId: event.marketId,
        payload: event.payload,
        occurredAt: now,
      })),
    );
  }

  async #writeMarket(market: Market, snapshot: LedgerSnapshot): Promise<void> {
    const client = this.#client;
    if (isNewMarket(market, snapshot)) {
      // Inserted whole: its lifecycle columns and pools need no update.
      await client.query(PG_INSERT_MARKET, [
        market.id,
        market.guildId,
        market.question,
        market.description,
        market.mechanism,
        market.weight,
        market.subsidy,
        market.subsidyPayer,
        market.creatorId,
        market.creatorName,
        market.planId,
        market.coachId,
        market.createdAt,
        market.closesAt,
        market.status,
        market.settlements,
      ]);
      await client.query(PG_INSERT_OPTIONS, [
        market.id,
        market.options.map((option) => option.index),
        market.options.map((option) => option.label),
        market.options.map((option) => option.pool),
      ]);
      return;
    }
    const previous = snapshot.market;
    if (marketLifecycleChanged(previous, market)) {
      const { resolutionOption, resolutionProbability } = resolutionColumns(market);
      await client.query(PG_UPDATE_MARKET, [
        market.id,
        market.closesAt,
        market.status,
        resolutionOption,
        resolutionProbability,
        market.settledAt,
        market.settledBy,
        market.settlements,
      ]);
    }
  }
}

/** The accounts a decision's transfers and daily claims write. */
function writtenAccounts(effects: LedgerEffects): AccountKey[] {
  return [
    ...effects.transfers.flatMap((transfer) => [transfer.from, transfer.to]),
    ...effects.dailyClaims.map((claim) => userAccount(claim.userId)),
  ];
}

/** What a decision writes, in outline: deciding again with reserved ids must not change it. */
function shapeOf(effects: LedgerEffects, snapshot: LedgerSnapshot): string {
  const creates = effects.market !== null && isNewMarket(effects.market, snapshot);
  return `${creates}/${effects.trades.length}/${effects.transfers.length}/${effects.positions.length}`;
}
