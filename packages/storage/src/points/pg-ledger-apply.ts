import { type AccountKey, type LedgerEffects, type LedgerSnapshot, userAccount } from '@coachwire/core';
import { changedOptionPools, isNewMarket } from './ledger-effects.js';

/** What PG_APPLY_EFFECTS (pg-ledger-sql.ts) needs of one decision. */
export interface ApplyEffectsInput {
  readonly guildId: string;
  readonly now: string;
  readonly effects: LedgerEffects;
  readonly snapshot: LedgerSnapshot;
  /** Trade ids after the snapshot's nextTradeId, one per further trade. */
  readonly laterTradeIds: readonly number[];
  /** The id of an account the transaction has locked. */
  readonly accountId: (key: AccountKey) => number;
  /** Provisional accounts the decision left unused: deleted again. */
  readonly unused: readonly AccountKey[];
  readonly idempotencyKey: string | null;
  readonly resultJson: string | null;
}

/** The parameters $1 to $40 of PG_APPLY_EFFECTS, in order (an empty array writes nothing). */
export function applyEffectsValues(input: ApplyEffectsInput): unknown[] {
  const { effects, snapshot, accountId: id } = input;
  const t = effects.transfers;
  // One row per changed account: its balance delta and its daily claim, if any.
  const changes = new Map<number, { delta: number; daily: string | null }>();
  const change = (account: number) => {
    const entry = changes.get(account) ?? { delta: 0, daily: null };
    changes.set(account, entry);
    return entry;
  };
  for (const transfer of t) {
    change(id(transfer.from)).delta -= transfer.amount;
    change(id(transfer.to)).delta += transfer.amount;
  }
  for (const claim of effects.dailyClaims) change(id(userAccount(claim.userId))).daily = claim.tradingDate;
  const changed = [...changes].filter(([, entry]) => entry.delta !== 0 || entry.daily !== null);
  // One row per position (the last write wins), as the upsert may not touch a row twice.
  const positions = [
    ...new Map(effects.positions.map((p) => [`${p.marketId}\u0000${p.userId}\u0000${p.option}`, p])).values(),
  ];
  const trades = effects.trades;
  // A new market's pools were inserted with it.
  const pools =
    effects.market && !isNewMarket(effects.market, snapshot)
      ? changedOptionPools(snapshot.market, effects.market)
      : [];
  const audit = effects.audit;
  return [
    input.guildId,
    input.now,
    t.map((x) => id(x.from)),
    t.map((x) => id(x.to)),
    t.map((x) => x.amount),
    t.map((x) => x.kind),
    t.map((x) => x.marketId),
    t.map((x) => x.settlement),
    t.map((x) => x.reverses),
    t.map((x) => x.memo),
    changed.map(([account]) => account),
    changed.map(([, entry]) => entry.delta),
    changed.map(([, entry]) => entry.daily),
    positions.map((p) => p.marketId),
    positions.map((p) => p.userId),
    positions.map((p) => p.option),
    positions.map((p) => p.shares),
    positions.map((p) => p.invested),
    positions.map((p) => p.takenOut),
    positions.map((p) => p.payout),
    trades.length > 0 ? [snapshot.nextTradeId, ...input.laterTradeIds] : [],
    trades.map((x) => x.marketId),
    trades.map((x) => x.userId),
    trades.map((x) => x.option),
    trades.map((x) => x.side),
    trades.map((x) => x.points),
    trades.map((x) => x.shares),
    trades.map((x) => JSON.stringify(x.probabilitiesBefore)),
    trades.map((x) => JSON.stringify(x.probabilitiesAfter)),
    pools.length > 0 ? effects.market!.id : null,
    pools.map((option) => option.index),
    pools.map((option) => option.pool),
    audit.map((entry) => entry.actorId),
    audit.map((entry) => entry.actorName),
    audit.map((entry) => entry.action),
    audit.map((entry) => entry.subject),
    audit.map((entry) => entry.reason),
    input.unused.map(id),
    input.idempotencyKey,
    input.resultJson,
  ];
}
