import { type Actor, type AdminPolicy, isAdmin } from '../plans/authorization.js';
import { ForbiddenError } from '../shared/errors.js';
import type { Market } from './market-types.js';

/** Who may create and settle markets. */
export interface MarketPolicy {
  readonly admins: AdminPolicy;
  /** When non-empty, only members with one of these roles (or admins) may create markets. */
  readonly creatorRoleIds: readonly string[];
  /** Whether a creator who holds a position may resolve or cancel their own market. */
  readonly creatorWithPositionMayResolve: boolean;
}

export function assertMayCreateMarket(actor: Actor, policy: MarketPolicy): void {
  if (policy.creatorRoleIds.length === 0 || isAdmin(actor, policy.admins)) return;
  if ((actor.roleIds ?? []).some((roleId) => policy.creatorRoleIds.includes(roleId))) return;
  throw new ForbiddenError('Only members with a market-creator role may create markets.');
}

/**
 * A market on a plan is that plan's coach's call, and its creator may resolve it: so only the plan's author (the
 * coach who made the call) or an admin opens one. An imported plan (no author id) is left to admins.
 */
export function assertMayOpenMarketOnPlan(
  actor: Actor,
  plan: { readonly id: number; readonly author: { readonly id: string | null } },
  policy: Pick<MarketPolicy, 'admins'>,
): void {
  if (isAdmin(actor, policy.admins)) return;
  if (plan.author.id !== null && plan.author.id === actor.id) return;
  throw new ForbiddenError(
    `Only the author of plan ${plan.id} or an admin may open a market on it: its creator could resolve the coach's call.`,
  );
}

/** Only the creator or an admin settles; a creator with a stake only when the guild allows it. */
export function assertMaySettle(
  actor: Actor,
  market: Market,
  creatorHoldsPosition: boolean,
  policy: MarketPolicy,
): void {
  if (isAdmin(actor, policy.admins)) return;
  if (actor.id !== market.creatorId) {
    throw new ForbiddenError('Only the market creator or an admin can resolve or cancel this market.');
  }
  if (creatorHoldsPosition && !policy.creatorWithPositionMayResolve) {
    throw new ForbiddenError('You hold a position in this market, so an admin must resolve or cancel it.');
  }
}

export function assertAdmin(actor: Actor, policy: Pick<MarketPolicy, 'admins'>, what: string): void {
  if (!isAdmin(actor, policy.admins)) throw new ForbiddenError(`Only an admin can ${what}.`);
}
