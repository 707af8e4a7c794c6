import type { Plan, PlanEventPayload } from './types.js';

/** The payload recorded with every plan event: enough to locate and invalidate the plan, no text. */
export function planEventPayload(plan: Plan): PlanEventPayload {
  return {
    id: plan.id,
    coach: plan.coach,
    tradingDate: plan.tradingDate,
    authorId: plan.author.id,
    authorName: plan.author.name,
    editedAt: plan.editedAt,
    deletedAt: plan.deletedAt,
  };
}
