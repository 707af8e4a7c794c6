import { ConflictError, NotFoundError } from '../shared/errors.js';
import type { PlanChange, PlanDraft, PlanListQuery, PlanRepository } from './ports.js';
import type { Chart, ChartInput, Plan, PlanRevision, PlanStats } from './types.js';

/** A PlanRepository in memory, for unit tests of the domain and of handlers; storage has the real one. */
export class InMemoryPlanRepository implements PlanRepository {
  private readonly plans = new Map<number, Plan>();
  private readonly revisions: PlanRevision[] = [];
  private nextPlanId = 1;
  private nextChartId = 1;

  async getById(id: number, options: { includeDeleted?: boolean } = {}): Promise<Plan | null> {
    const plan = this.plans.get(id);
    return plan && (options.includeDeleted || !plan.deletedAt) ? plan : null;
  }

  async getLive(coach: string, tradingDate: string): Promise<Plan | null> {
    for (const plan of this.plans.values()) {
      if (plan.coach === coach && plan.tradingDate === tradingDate && !plan.deletedAt) return plan;
    }
    return null;
  }

  async getBySourceMessageId(messageId: string): Promise<Plan | null> {
    for (const plan of this.plans.values()) if (plan.sourceMessageId === messageId) return plan;
    return null;
  }

  async list(query: PlanListQuery): Promise<Plan[]> {
    return [...this.plans.values()]
      .filter(
        (plan) =>
          (query.includeDeleted || !plan.deletedAt) &&
          (query.tradingDate === undefined || plan.tradingDate === query.tradingDate) &&
          (query.from === undefined || plan.tradingDate >= query.from) &&
          (query.to === undefined || plan.tradingDate <= query.to) &&
          (query.coach === undefined || plan.coach === query.coach) &&
          (query.authorId === undefined || plan.author.id === query.authorId) &&
          (query.after === undefined ||
            plan.tradingDate < query.after.tradingDate ||
            (plan.tradingDate === query.after.tradingDate && plan.id < query.after.id)),
      )
      .sort((a, b) =>
        a.tradingDate === b.tradingDate ? b.id - a.id : a.tradingDate < b.tradingDate ? 1 : -1,
      )
      .slice(0, query.limit + 1);
  }

  async history(planId: number): Promise<PlanRevision[]> {
    return this.revisions.filter((revision) => revision.planId === planId).reverse();
  }

  async insert(draft: PlanDraft): Promise<Plan> {
    if (await this.getLive(draft.coach, draft.tradingDate)) {
      throw new ConflictError(`A live plan exists for ${draft.coach} on ${draft.tradingDate}.`);
    }
    const plan: Plan = {
      id: this.nextPlanId++,
      coach: draft.coach,
      tradingDate: draft.tradingDate,
      text: draft.text,
      author: draft.author,
      guildId: draft.guildId,
      channelId: draft.channelId,
      channelName: draft.channelName,
      sourceMessageId: draft.sourceMessageId,
      charts: this.toCharts(draft.charts),
      createdAt: draft.createdAt,
      editedAt: null,
      deletedAt: null,
    };
    this.plans.set(plan.id, plan);
    return plan;
  }

  async update(planId: number, change: PlanChange): Promise<Plan> {
    const plan = await this.getById(planId);
    if (!plan) throw new NotFoundError(`No plan with id ${planId}.`);
    this.revisions.push({
      id: this.revisions.length + 1,
      planId,
      previousText: plan.text,
      editor: change.editor,
      editedAt: change.editedAt,
    });
    const updated: Plan = {
      ...plan,
      text: change.text,
      editedAt: change.editedAt,
      ...(change.charts ? { charts: this.toCharts(change.charts) } : {}),
      ...(change.sourceMessageId !== undefined ? { sourceMessageId: change.sourceMessageId } : {}),
    };
    this.plans.set(planId, updated);
    return updated;
  }

  async softDelete(planId: number, _by: unknown, at: string): Promise<Plan> {
    const plan = await this.getById(planId);
    if (!plan) throw new NotFoundError(`No plan with id ${planId}.`);
    const deleted = { ...plan, deletedAt: at };
    this.plans.set(planId, deleted);
    return deleted;
  }

  async authorIds(): Promise<(string | null)[]> {
    return [...new Set([...this.plans.values()].map((plan) => plan.author.id))];
  }

  async stats(): Promise<PlanStats> {
    const live = [...this.plans.values()].filter((plan) => !plan.deletedAt);
    return {
      totalPlans: live.length,
      totalCharts: live.reduce((sum, plan) => sum + plan.charts.length, 0),
      totalEdits: this.revisions.length,
      latestPlanAt:
        live
          .map((plan) => plan.createdAt)
          .sort()
          .at(-1) ?? null,
    };
  }

  private toCharts(inputs: readonly ChartInput[]): Chart[] {
    return inputs.map((input, position) => ({
      id: this.nextChartId++,
      position,
      url: input.url,
      filename: input.filename,
      contentType: input.contentType ?? null,
      size: input.size ?? null,
      width: input.width ?? null,
      height: input.height ?? null,
      discordAttachmentId: input.discordAttachmentId ?? null,
      sha256: null,
      archiveStatus: 'none',
    }));
  }
}
