import type { Actor } from '../plans/authorization.js';
import { accountKind, escrowAccount, HOUSE_ACCOUNT } from '../points/accounts.js';
import { EffectsBuilder } from '../points/effects-builder.js';
import type { LedgerDecision, LedgerSnapshot } from '../points/ledger-port.js';
import { ConflictError, ValidationError } from '../shared/errors.js';
import { assertAdmin, type MarketPolicy } from './market-permissions.js';
import { loadedMarket } from './trade-decisions.js';

export interface UnresolveResult {
  readonly marketId: number;
  /** Points taken back from recipients, and the part the house covered for those who had spent it. */
  readonly reversed: number;
  readonly coveredByHouse: number;
}

/**
 * An admin undoes a resolution within the window: every settlement transfer is reversed by a new transfer.
 * A recipient who has spent the points is taken only down to 0; the house covers the shortfall.
 */
export function decideUnresolve(
  snapshot: LedgerSnapshot,
  actor: Actor,
  marketId: number,
  reason: string,
  policy: MarketPolicy,
  windowHours: number,
): LedgerDecision<UnresolveResult> {
  assertAdmin(actor, policy, 'unresolve a market');
  const market = loadedMarket(snapshot, marketId);
  if (market.status !== 'resolved') throw new ConflictError(`Market #${marketId} is not resolved.`);
  const settledAt = Date.parse(market.settledAt ?? snapshot.now);
  if (Date.parse(snapshot.now) - settledAt > windowHours * 3_600_000) {
    throw new ConflictError(
      `Market #${marketId} was resolved more than ${windowHours} hours ago; it can no longer be unresolved.`,
    );
  }
  if (reason.trim().length === 0) throw new ValidationError('Say why the market is unresolved.', 'reason');
  const builder = new EffectsBuilder(snapshot);
  const escrow = escrowAccount(marketId);
  let reversed = 0;
  let coveredByHouse = 0;
  for (const original of snapshot.settlementTransfers) {
    const fromRecipient =
      accountKind(original.to) === 'user'
        ? Math.min(original.amount, builder.ledger.balance(original.to))
        : original.amount;
    const common = {
      to: escrow,
      kind: 'reversal' as const,
      marketId,
      settlement: original.settlement,
      reverses: original.id,
    };
    if (fromRecipient > 0) builder.ledger.transfer({ ...common, from: original.to, amount: fromRecipient });
    const shortfall = original.amount - fromRecipient;
    if (shortfall > 0)
      builder.ledger.transfer({
        ...common,
        from: HOUSE_ACCOUNT,
        amount: shortfall,
        memo: `covers ${original.to}`,
      });
    reversed += original.amount;
    coveredByHouse += shortfall;
  }
  for (const position of snapshot.positions) builder.setPosition({ ...position, payout: 0 });
  builder.market = {
    ...market,
    status: 'open',
    resolution: null,
    settledAt: null,
    settledBy: null,
    escrow: reversed,
  };
  builder.events.push({
    type: 'market.unresolved',
    marketId,
    payload: { marketId, reversed, coveredByHouse, reason },
  });
  builder.audit.push({
    actorId: actor.id,
    actorName: actor.name,
    action: 'market.unresolve',
    subject: `market:${marketId}`,
    reason,
  });
  return { result: { marketId, reversed, coveredByHouse }, effects: builder.effects() };
}
