import type { Actor } from '../plans/authorization.js';
import {
  type AccountKey,
  escrowAccount,
  HOUSE_ACCOUNT,
  ROUNDING_ACCOUNT,
  userAccount,
} from '../points/accounts.js';
import { EffectsBuilder } from '../points/effects-builder.js';
import type { LedgerDecision, LedgerSnapshot } from '../points/ledger-port.js';
import { ConflictError, ValidationError } from '../shared/errors.js';
import { PROBABILITY_UNIT } from '../shared/fixed-point.js';
import { assertMaySettle, type MarketPolicy } from './market-permissions.js';
import type { Market, MarketResolution, Position } from './market-types.js';
import { probabilitiesOf } from './mechanisms/mechanism.js';
import { pricingOf } from './quotes.js';
import { cancellationPlan, resolutionPlan, type SettlementPlan } from './settlement-payouts.js';
import { loadedMarket } from './trade-decisions.js';

export interface SettlementResult {
  readonly marketId: number;
  readonly status: Market['status'];
  readonly resolution: MarketResolution | null;
  /** Points paid to traders, to the liquidity provider, and to the rounding account. */
  readonly paidToTraders: number;
  readonly lpReturn: number;
  readonly dust: number;
}

/** The system actor of automatic actions (the auto-cancel sweep). */
export const SYSTEM_ACTOR: Actor = { id: 'system', name: 'Coachwire' };

function assertUnsettled(market: Market): void {
  if (market.status !== 'open') {
    throw new ConflictError(`Market #${market.id} is already ${market.status}.`);
  }
}

function validateResolution(market: Market, resolution: MarketResolution): MarketResolution {
  if (resolution.kind === 'option') {
    if (
      !Number.isInteger(resolution.option) ||
      resolution.option < 0 ||
      resolution.option >= market.options.length
    ) {
      throw new ValidationError(`Unknown option ${resolution.option}.`, 'option');
    }
    return resolution;
  }
  if (market.mechanism !== 'cpmm') {
    throw new ValidationError('Only a binary cpmm market can resolve to a probability (MKT).', 'resolution');
  }
  const q = resolution.probability;
  if (!Number.isInteger(q) || q < 0 || q > PROBABILITY_UNIT) {
    throw new ValidationError('A MKT resolution is a probability from 0 to 1.', 'probability');
  }
  return resolution;
}

/** Writes a settlement: one transfer per recipient out of the escrow, so the escrow ends at exactly 0. */
function settle(
  builder: EffectsBuilder,
  market: Market,
  positions: readonly Position[],
  plan: SettlementPlan,
  kind: 'payout' | 'refund',
): number {
  const settlement = market.settlements + 1;
  const escrow = escrowAccount(market.id);
  const perUser = new Map<string, number>();
  positions.forEach((position, index) => {
    const payout = plan.payouts[index]!;
    builder.setPosition({ ...position, payout });
    perUser.set(position.userId, (perUser.get(position.userId) ?? 0) + payout);
  });
  let paid = 0;
  for (const [userId, amount] of perUser) {
    if (amount <= 0) continue;
    paid += amount;
    builder.ledger.transfer({
      from: escrow,
      to: userAccount(userId),
      amount,
      kind,
      marketId: market.id,
      settlement,
    });
  }
  if (plan.lpReturn > 0) {
    const lp: AccountKey = market.subsidyPayer === 'house' ? HOUSE_ACCOUNT : userAccount(market.creatorId);
    builder.ledger.transfer({
      from: escrow,
      to: lp,
      amount: plan.lpReturn,
      kind: 'lp_return',
      marketId: market.id,
      settlement,
    });
  }
  if (plan.dust > 0) {
    builder.ledger.transfer({
      from: escrow,
      to: ROUNDING_ACCOUNT,
      amount: plan.dust,
      kind: 'dust',
      marketId: market.id,
      settlement,
    });
  }
  return paid;
}

function settledMarket(
  market: Market,
  now: string,
  by: Actor,
  status: 'resolved' | 'cancelled',
  resolution: MarketResolution | null,
): Market {
  return {
    ...market,
    status,
    resolution,
    settledAt: now,
    settledBy: by.id,
    settlements: market.settlements + 1,
    closesAt: now < market.closesAt ? now : market.closesAt,
    escrow: 0,
  };
}

/** Resolves to an option (or MKT), paying winners, the liquidity provider and the dust, all at once. */
export function decideResolve(
  snapshot: LedgerSnapshot,
  actor: Actor,
  marketId: number,
  requested: MarketResolution,
  policy: MarketPolicy,
): LedgerDecision<SettlementResult> {
  const market = loadedMarket(snapshot, marketId);
  assertUnsettled(market);
  const creatorHolds = snapshot.positions.some((p) => p.userId === market.creatorId && p.shares > 0);
  assertMaySettle(actor, market, creatorHolds, policy);
  const resolution = validateResolution(market, requested);
  const builder = new EffectsBuilder(snapshot);
  const positions = snapshot.positions;
  const plan = resolutionPlan(market, positions, resolution);
  const paid = settle(builder, market, positions, plan, 'payout');
  builder.market = settledMarket(market, snapshot.now, actor, 'resolved', resolution);
  builder.events.push({
    type: 'market.resolved',
    marketId,
    payload: {
      marketId,
      resolution,
      paidToTraders: paid,
      lpReturn: plan.lpReturn,
      dust: plan.dust,
      probabilitiesAtClose: probabilitiesOf(pricingOf(market)),
    },
  });
  builder.audit.push({
    actorId: actor.id,
    actorName: actor.name,
    action: 'market.resolve',
    subject: `market:${marketId}`,
    reason: JSON.stringify(resolution),
  });
  return {
    result: {
      marketId,
      status: 'resolved',
      resolution,
      paidToTraders: paid,
      lpReturn: plan.lpReturn,
      dust: plan.dust,
    },
    effects: builder.effects(),
  };
}

/** Cancels: refunds net stakes (pro rata if short) and returns the rest to the liquidity provider. */
export function decideCancel(
  snapshot: LedgerSnapshot,
  actor: Actor,
  marketId: number,
  reason: string | null,
  policy: MarketPolicy | null,
): LedgerDecision<SettlementResult> {
  const market = loadedMarket(snapshot, marketId);
  assertUnsettled(market);
  if (policy) {
    const creatorHolds = snapshot.positions.some((p) => p.userId === market.creatorId && p.shares > 0);
    assertMaySettle(actor, market, creatorHolds, policy);
  }
  const builder = new EffectsBuilder(snapshot);
  const plan = cancellationPlan(market, snapshot.positions);
  const paid = settle(builder, market, snapshot.positions, plan, 'refund');
  builder.market = settledMarket(market, snapshot.now, actor, 'cancelled', null);
  builder.events.push({
    type: 'market.cancelled',
    marketId,
    payload: {
      marketId,
      refunded: paid,
      lpReturn: plan.lpReturn,
      dust: plan.dust,
      automatic: policy === null,
      reason,
    },
  });
  builder.audit.push({
    actorId: actor.id,
    actorName: actor.name,
    action: 'market.cancel',
    subject: `market:${marketId}`,
    reason,
  });
  return {
    result: {
      marketId,
      status: 'cancelled',
      resolution: null,
      paidToTraders: paid,
      lpReturn: plan.lpReturn,
      dust: plan.dust,
    },
    effects: builder.effects(),
  };
}

/**
 * The sweep's cancel of a market left unresolved `autoCancelAfterDays` after its close. Deciding on the
 * state inside the transaction makes it idempotent: a market already settled is left alone.
 */
export function decideAutoCancel(
  snapshot: LedgerSnapshot,
  marketId: number,
  autoCancelAfterDays: number,
): LedgerDecision<SettlementResult | null> {
  const market = snapshot.market;
  const due = market
    ? Date.parse(market.closesAt) + autoCancelAfterDays * 86_400_000
    : Number.POSITIVE_INFINITY;
  if (!market || market.id !== marketId || market.status !== 'open' || Date.parse(snapshot.now) < due) {
    return { result: null, effects: new EffectsBuilder(snapshot).effects() };
  }
  return decideCancel(
    snapshot,
    SYSTEM_ACTOR,
    marketId,
    `unresolved ${autoCancelAfterDays} days after close`,
    null,
  );
}
