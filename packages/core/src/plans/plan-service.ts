import { type Clock, systemClock } from '../shared/clock.js';
import { decodeCursor, encodeCursor } from '../shared/cursor.js';
import { parseTradingDate, tradingDateIn } from '../shared/dates.js';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors.js';
import { assertWellFormedFields } from '../shared/well-formed-text.js';
import {
  type Actor,
  type AdminPolicy,
  assertMayModify,
  assertMayPostAs,
  isAdmin,
  NO_ADMINS,
} from './authorization.js';
import { resolveCoach } from './coaches.js';
import { isMockDiscordId } from './mock-data.js';
import {
  assertWellFormedPlanInput,
  DEFAULT_MAX_CHARTS,
  type IgnoredAttachment,
  MAX_PLAN_TEXT_LENGTH,
  normalizePlanText,
  selectCharts,
} from './plan-rules.js';
import type { PlanRepository } from './ports.js';
import type { Author, ChartInput, Coach, Plan, PlanRevision, PlanStats } from './types.js';

export interface PlanServiceOptions {
  readonly repository: PlanRepository;
  readonly coaches: readonly Coach[];
  /** IANA zone deciding what "today" is. */
  readonly timezone: string;
  readonly clock?: Clock;
  readonly admins?: AdminPolicy;
  readonly maxCharts?: number;
  readonly maxTextLength?: number;
  /** A Discord message edited within this many minutes of posting updates its plan. */
  readonly editWindowMinutes?: number;
}

/** Which plan: by id, or by coach and trading date (default today). */
export type PlanRef =
  | { readonly planId: number }
  | { readonly coach: string; readonly tradingDate?: string | undefined };

export interface PostPlanInput {
  readonly coach: string;
  readonly text: string;
  readonly charts?: readonly ChartInput[];
  readonly tradingDate?: string | undefined;
  readonly guildId?: string | null;
  readonly channelId?: string | null;
  readonly channelName?: string | null;
  readonly sourceMessageId?: string | null;
}

export interface PlanChangeResult {
  readonly plan: Plan;
  /** True when a new plan was created, false when an existing live plan was replaced. */
  readonly created: boolean;
  /** Attachments that were not images and were left out. */
  readonly ignored: readonly IgnoredAttachment[];
}

export interface PlanListFilter {
  readonly tradingDate?: string | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly coach?: string | undefined;
  readonly authorId?: string | undefined;
  readonly cursor?: string | undefined;
  readonly limit?: number | undefined;
}

export interface PlanPage {
  readonly items: Plan[];
  readonly nextCursor: string | null;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** The domain's use cases: every rule about posting, editing, deleting and reading plans lives here. */
export class PlanService {
  readonly coaches: readonly Coach[];
  readonly timezone: string;
  private readonly repository: PlanRepository;
  private readonly clock: Clock;
  private readonly admins: AdminPolicy;
  private readonly maxCharts: number;
  private readonly maxTextLength: number;
  private readonly editWindowMs: number;

  constructor(options: PlanServiceOptions) {
    this.repository = options.repository;
    this.coaches = options.coaches;
    this.timezone = options.timezone;
    this.clock = options.clock ?? systemClock;
    this.admins = options.admins ?? NO_ADMINS;
    this.maxCharts = options.maxCharts ?? DEFAULT_MAX_CHARTS;
    this.maxTextLength = options.maxTextLength ?? MAX_PLAN_TEXT_LENGTH;
    this.editWindowMs = (options.editWindowMinutes ?? 15) * 60_000;
  }

  /** Today's trading date in the configured timezone. */
  today(): string {
    return tradingDateIn(this.timezone, new Date(this.clock.now()));
  }

  /** The coach for a user-typed token, or VALIDATION. */
  resolveCoach(input: string): Coach {
    return resolveCoach(input, this.coaches);
  }

  /** Whether the actor may act as an admin (edit anything, bypass rate limits). */
  isAdmin(actor: Actor): boolean {
    return isAdmin(actor, this.admins);
  }

  /** Creates the coach's plan for the date, or replaces the live one (recording a revision). */
  async post(actor: Actor, input: PostPlanInput): Promise<PlanChangeResult> {
    assertWellFormedPlanInput(actor, input.text, input.charts, {
      coach: input.coach,
      channel_name: input.channelName,
    });
    const coach = this.resolveCoach(input.coach);
    assertMayPostAs(actor, coach, this.admins);
    const text = normalizePlanText(input.text, this.maxTextLength);
    const tradingDate = this.dateOrToday(input.tradingDate);
    const { charts, ignored } = selectCharts(input.charts ?? [], this.maxCharts);
    const now = new Date(this.clock.now()).toISOString();
    const author = authorOf(actor);

    for (let attempt = 0; attempt < 2; attempt++) {
      const existing = await this.repository.getLive(coach.id, tradingDate);
      if (existing) {
        assertMayModify(actor, existing, this.admins, coach.name);
        try {
          const plan = await this.repository.update(existing.id, {
            text,
            charts,
            editor: author,
            editedAt: now,
            ...(input.sourceMessageId !== undefined ? { sourceMessageId: input.sourceMessageId } : {}),
          });
          return { plan, created: false, ignored };
        } catch (error) {
          // Deleted between our read and the update: post it afresh on the second pass.
          if (!(error instanceof NotFoundError) || attempt > 0) throw error;
          continue;
        }
      }
      try {
        const plan = await this.repository.insert({
          coach: coach.id,
          tradingDate,
          text,
          author,
          guildId: input.guildId ?? null,
          channelId: input.channelId ?? null,
          channelName: input.channelName ?? null,
          sourceMessageId: input.sourceMessageId ?? null,
          charts,
          createdAt: now,
        });
        return { plan, created: true, ignored };
      } catch (error) {
        // Another writer created the plan between our read and insert: retry once as a replace.
        if (!(error instanceof ConflictError) || attempt > 0) throw error;
      }
    }
    throw new ConflictError(`${coach.name}'s plan for ${tradingDate} changed while saving. Try again.`);
  }

  /** Replaces a plan's text (and its charts when attachments are given). */
  async edit(
    actor: Actor,
    ref: PlanRef,
    change: { readonly text: string; readonly charts?: readonly ChartInput[] | undefined },
  ): Promise<PlanChangeResult> {
    assertWellFormedPlanInput(actor, change.text, change.charts, {});
    const plan = await this.get(ref);
    const coachName = this.coachName(plan.coach);
    assertMayModify(actor, plan, this.admins, coachName);
    this.assertStillMayPostAs(actor, plan.coach);
    const text = normalizePlanText(change.text, this.maxTextLength);
    const selected =
      change.charts && change.charts.length > 0 ? selectCharts(change.charts, this.maxCharts) : null;
    const updated = await this.repository.update(plan.id, {
      text,
      editor: authorOf(actor),
      editedAt: new Date(this.clock.now()).toISOString(),
      ...(selected ? { charts: selected.charts } : {}),
    });
    return { plan: updated, created: false, ignored: selected?.ignored ?? [] };
  }

  /**
   * Applies an edit made to the Discord message a plan was posted from, if the plan is still within the
   * edit window. Returns null when the message is not a plan's source or the window has passed.
   */
  async editFromSourceMessage(actor: Actor, messageId: string, text: string): Promise<Plan | null> {
    const plan = await this.repository.getBySourceMessageId(messageId);
    if (!plan || plan.deletedAt) return null;
    const age = this.clock.now() - Date.parse(plan.createdAt);
    if (age > this.editWindowMs) return null;
    const result = await this.edit(actor, { planId: plan.id }, { text });
    return result.plan;
  }

  /** The live plan posted from a Discord message, or null. */
  async findBySourceMessage(messageId: string): Promise<Plan | null> {
    const plan = await this.repository.getBySourceMessageId(messageId);
    return plan && !plan.deletedAt ? plan : null;
  }

  /** Soft-deletes a plan; its coach and date may be posted again afterwards. */
  async delete(actor: Actor, ref: PlanRef): Promise<Plan> {
    assertWellFormedFields({ 'author.name': actor.name });
    const plan = await this.get(ref);
    assertMayModify(actor, plan, this.admins, this.coachName(plan.coach));
    this.assertStillMayPostAs(actor, plan.coach);
    return this.repository.softDelete(plan.id, authorOf(actor), new Date(this.clock.now()).toISOString());
  }

  /** The live plan a reference names, or NOT_FOUND. */
  async get(ref: PlanRef): Promise<Plan> {
    if ('planId' in ref) {
      const plan = await this.repository.getById(ref.planId);
      if (!plan) throw new NotFoundError(`No plan with id ${ref.planId}.`);
      return plan;
    }
    const coach = this.resolveCoach(ref.coach);
    const tradingDate = this.dateOrToday(ref.tradingDate);
    const plan = await this.repository.getLive(coach.id, tradingDate);
    if (!plan) throw new NotFoundError(`No plan for ${coach.name} on ${tradingDate}.`);
    return plan;
  }

  /** The live plan for a coach and date (default today), or null. */
  async find(coachInput: string, tradingDateInput?: string): Promise<Plan | null> {
    const coach = this.resolveCoach(coachInput);
    return this.repository.getLive(coach.id, this.dateOrToday(tradingDateInput));
  }

  /** A plan by id, live or deleted, or null. */
  async findById(planId: number, options: { includeDeleted?: boolean } = {}): Promise<Plan | null> {
    return this.repository.getById(planId, options);
  }

  /** Live plans matching the filter, newest trading date first, one page at a time. */
  async list(filter: PlanListFilter = {}): Promise<PlanPage> {
    const limit = filter.limit ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
      throw new ValidationError(`limit must be an integer from 1 to ${MAX_PAGE_SIZE}.`, 'limit');
    }
    const from = filter.from === undefined ? undefined : parseTradingDate(filter.from, 'from');
    const to = filter.to === undefined ? undefined : parseTradingDate(filter.to, 'to');
    if (from && to && from > to) throw new ValidationError(`from (${from}) is after to (${to}).`, 'from');
    const rows = await this.repository.list({
      limit,
      ...(filter.tradingDate !== undefined ? { tradingDate: parseTradingDate(filter.tradingDate) } : {}),
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
      ...(filter.coach !== undefined ? { coach: this.resolveCoach(filter.coach).id } : {}),
      ...(filter.authorId !== undefined ? { authorId: filter.authorId } : {}),
      ...(filter.cursor !== undefined ? { after: decodeCursor(filter.cursor) } : {}),
    });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    const nextCursor = rows.length > limit && last ? encodeCursor(last) : null;
    return { items, nextCursor };
  }

  /** Every live plan of one date (one per coach at most), in the configured coach order. */
  async listDate(tradingDateInput?: string): Promise<Plan[]> {
    const tradingDate = this.dateOrToday(tradingDateInput);
    const rows = await this.repository.list({ tradingDate, limit: this.coaches.length + 1 });
    const order = new Map(this.coaches.map((coach, index) => [coach.id, index]));
    return rows.sort((a, b) => (order.get(a.coach) ?? 99) - (order.get(b.coach) ?? 99));
  }

  /** The revisions of a plan, newest first. */
  async history(ref: PlanRef): Promise<{ plan: Plan; revisions: PlanRevision[] }> {
    const plan = await this.get(ref);
    return { plan, revisions: await this.repository.history(plan.id) };
  }

  /** Totals for metrics. */
  /**
   * Whether the database holds plans that mock mode did not write (a coach's, an API key's, an import's):
   * the mock must not mix its simulated plans into such a database unless asked to.
   */
  async holdsPlansFromOutsideMock(): Promise<boolean> {
    return (await this.repository.authorIds()).some((id) => id === null || !isMockDiscordId(id));
  }

  stats(): Promise<PlanStats> {
    return this.repository.stats();
  }

  /** The display name of a coach id (the id itself if no longer configured). */
  coachName(coachId: string): string {
    return this.coaches.find((coach) => coach.id === coachId)?.name ?? `Coach ${coachId.toUpperCase()}`;
  }

  /** An author who lost the role a restricted coach needs may no longer change that coach's plans either. */
  private assertStillMayPostAs(actor: Actor, coachId: string): void {
    const coach = this.coaches.find((candidate) => candidate.id === coachId);
    if (coach) assertMayPostAs(actor, coach, this.admins);
  }

  private dateOrToday(input: string | undefined): string {
    return input === undefined || input.trim() === '' ? this.today() : parseTradingDate(input);
  }
}

function authorOf(actor: Actor): Author {
  return { id: actor.id, name: actor.name };
}
