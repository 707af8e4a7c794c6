import { ForbiddenError } from '../shared/errors.js';
import type { Coach, Plan } from './types.js';

/** Who is asking: a Discord member (or an API-key integration) with what the app knows of their rights. */
export interface Actor {
  /** Discord user id, or `api-key:<name>` for integrations. */
  readonly id: string;
  readonly name: string;
  readonly roleIds?: readonly string[];
  /** Set by the app when the member has Discord's Administrator or Manage Messages permission. */
  readonly hasAdminPermission?: boolean;
}

/** Configured admins: user ids and role ids. */
export interface AdminPolicy {
  readonly userIds: readonly string[];
  readonly roleIds: readonly string[];
}

export const NO_ADMINS: AdminPolicy = { userIds: [], roleIds: [] };

/** Admins may edit and delete any plan and bypass rate limits. */
export function isAdmin(actor: Actor, admins: AdminPolicy): boolean {
  if (actor.hasAdminPermission) return true;
  if (admins.userIds.includes(actor.id)) return true;
  return (actor.roleIds ?? []).some((roleId) => admins.roleIds.includes(roleId));
}

/** A coach restricted to roles or users refuses everyone else (admins excepted). */
export function assertMayPostAs(actor: Actor, coach: Coach, admins: AdminPolicy): void {
  const restricted = coach.allowedRoleIds.length > 0 || coach.allowedUserIds.length > 0;
  if (!restricted || isAdmin(actor, admins)) return;
  if (coach.allowedUserIds.includes(actor.id)) return;
  if ((actor.roleIds ?? []).some((roleId) => coach.allowedRoleIds.includes(roleId))) return;
  throw new ForbiddenError(`Only members with a role allowed for ${coach.name} may post its plans.`);
}

/** Only the plan's author (by user id, never by name) or an admin may change it. */
export function assertMayModify(actor: Actor, plan: Plan, admins: AdminPolicy, coachName: string): void {
  if (isAdmin(actor, admins)) return;
  if (plan.author.id !== null && plan.author.id === actor.id) return;
  // Display names are not unique: one that matches the asker's is said to be another account's, with its id.
  const owner =
    plan.author.id === null
      ? `${plan.author.name} (imported; only admins may change it)`
      : plan.author.name === actor.name
        ? `another account also named ${plan.author.name} (user id ${plan.author.id})`
        : plan.author.name;
  throw new ForbiddenError(
    `${coachName}'s plan for ${plan.tradingDate} belongs to ${owner}. Only its author or an admin can change it.`,
  );
}
