import { type Actor, type AdminPolicy, isAdmin } from '../plans/authorization.js';
import { IDEMPOTENCY_RETENTION_DAYS } from '../points/idempotency.js';
import type { LedgerStore } from '../points/ledger-port.js';
import { LedgerRunner, type RequestContext } from '../points/ledger-runner.js';
import { NotFoundError, ValidationError } from '../shared/errors.js';
import { assertWellFormedFields } from '../shared/well-formed-text.js';
import {
  type CoachCallPlan,
  type CoachScoreboard,
  coachCallMarketSpec,
  coachScoreboard,
} from './coach-calls.js';
import { assertMayCreateMarket, type MarketPolicy } from './market-permissions.js';
import {
  type CreateMarketInput,
  validateMarketDraft,
  validateOption,
  validateTradeAmount,
} from './market-rules.js';
import type { MarketServiceOptions, MarketSettings, TradingDays } from './market-settings.js';
import type { Market, MarketResolution, Position } from './market-types.js';
import { isAmm } from './mechanisms/mechanism.js';
import type { BuyQuote, SellQuote } from './quotes.js';
import {
  decideAutoCancel,
  decideCancel,
  decideResolve,
  type SettlementResult,
  SYSTEM_ACTOR,
} from './settlement-decisions.js';
import {
  assertTrading,
  type BuyRequest,
  decideBuy,
  decideCreateMarket,
  decideSell,
  loadedMarket,
  type SellRequest,
  type TradeResult,
  tradableBuy,
  tradableSell,
} from './trade-decisions.js';
import { decideUnresolve, type UnresolveResult } from './unresolve-decision.js';

/** Where a request comes from: the guild whose economy it acts in, and the key that makes it exactly-once. */
export type { RequestContext } from '../points/ledger-runner.js';

export interface SweepResult {
  readonly cancelled: number[];
  readonly prunedKeys: number;
}

/** Market use cases: every rule lives in core's pure decisions; this class loads, decides and stores. */
export class MarketService {
  readonly settings: MarketSettings;
  readonly timezone: string;
  readonly tradingDays: TradingDays;
  readonly #store: LedgerStore;
  readonly #ledger: LedgerRunner;

  constructor(store: LedgerStore, options: MarketServiceOptions) {
    this.#store = store;
    this.#ledger = new LedgerRunner(store, options);
    this.settings = this.#ledger.settings;
    this.timezone = this.#ledger.timezone;
    this.tradingDays = this.#ledger.tradingDays;
  }

  /** Opens the standard market on a coach's plan (see coachCallMarketSpec); the note says if its close moved. */
  async createCoachCall(
    actor: Actor,
    context: RequestContext,
    plan: CoachCallPlan,
    subsidy?: number,
  ): Promise<{ market: Market; note: string | null }> {
    const spec = coachCallMarketSpec(plan, {
      now: this.#ledger.now(),
      timezone: this.timezone,
      closeTime: this.settings.coachCallCloseTime,
      tradingDays: this.tradingDays,
      ...(subsidy !== undefined ? { subsidy } : {}),
    });
    // The house pays a coach call's subsidy: the market opens because the coach posted their plan, which
    // must not cost them points (or rank them below zero on the leaderboard for posting).
    return { market: await this.#create(actor, context, spec.input, true), note: spec.note };
  }

  /** Calls resolved, hit rate, the crowd's average probability at close and its Brier score, for a coach. */
  async coachScoreboard(guildId: string, coachId: string): Promise<CoachScoreboard> {
    return coachScoreboard(coachId, await this.#store.coachCallMarkets(guildId, coachId));
  }

  get policy(): MarketPolicy {
    return {
      admins: this.#ledger.admins,
      creatorRoleIds: this.settings.creatorRoleIds,
      creatorWithPositionMayResolve: this.settings.creatorWithPositionMayResolve,
    };
  }

  /** Opens a market; the creator pays the subsidy (the house does when an admin creates it). */
  async create(actor: Actor, context: RequestContext, input: CreateMarketInput): Promise<Market> {
    return this.#create(actor, context, input, isAdmin(actor, this.#ledger.admins));
  }

  async #create(
    actor: Actor,
    context: RequestContext,
    input: CreateMarketInput,
    paidByHouse: boolean,
  ): Promise<Market> {
    assertMayCreateMarket(actor, this.policy);
    // Stored as the creator's name; checked with the draft's texts before anything is kept under the key.
    assertWellFormedFields({ 'actor.name': actor.name });
    const draft = validateMarketDraft(input, this.#ledger.now());
    return this.#ledger.execute(
      context,
      'market.create',
      { actor: actor.id, draft, paidByHouse },
      { userIds: [actor.id] },
      (snapshot) =>
        decideCreateMarket(snapshot, actor, draft, {
          paidByHouse,
          startingBalance: this.settings.startingBalance,
        }),
    );
  }

  /** What `points` on `option` buy now; `buy` with the same inputs on the same state executes exactly this. */
  async quoteBuy(guildId: string, marketId: number, option: number, points: number): Promise<BuyQuote> {
    const market = await this.get(guildId, marketId);
    assertTrading(market, this.#ledger.now().toISOString());
    validateOption(market, option);
    validateTradeAmount(points, this.settings.maxBet);
    return tradableBuy(market, option, points).quote;
  }

  /** What selling `shares` micro-shares of `option` returns now. */
  async quoteSell(guildId: string, marketId: number, option: number, shares: number): Promise<SellQuote> {
    const market = await this.get(guildId, marketId);
    if (!isAmm(market.mechanism)) throw new ValidationError('A parimutuel pool has no selling.', 'market');
    assertTrading(market, this.#ledger.now().toISOString());
    validateOption(market, option);
    if (!Number.isInteger(shares) || shares < 1)
      throw new ValidationError('Shares must be positive.', 'shares');
    if (!Number.isSafeInteger(shares))
      throw new ValidationError('That is more shares than a market holds.', 'shares');
    return tradableSell(market, option, shares).quote;
  }

  async buy(actor: Actor, context: RequestContext, request: BuyRequest): Promise<TradeResult> {
    validateTradeAmount(request.points, this.settings.maxBet);
    return this.#ledger.execute(
      context,
      'market.buy',
      { actor: actor.id, ...request },
      { userIds: [actor.id], marketId: request.marketId },
      (snapshot) => decideBuy(snapshot, actor, request, this.settings),
    );
  }

  async sell(actor: Actor, context: RequestContext, request: SellRequest): Promise<TradeResult> {
    return this.#ledger.execute(
      context,
      'market.sell',
      { actor: actor.id, ...request },
      { userIds: [actor.id], marketId: request.marketId },
      (snapshot) => decideSell(snapshot, actor, request, this.settings),
    );
  }

  async resolve(
    actor: Actor,
    context: RequestContext,
    marketId: number,
    resolution: MarketResolution,
  ): Promise<SettlementResult> {
    assertWellFormedFields({ 'actor.name': actor.name });
    return this.#ledger.execute(
      context,
      'market.resolve',
      { actor: actor.id, marketId, resolution },
      { userIds: [], marketId, allPositions: true },
      (snapshot) => decideResolve(snapshot, actor, marketId, resolution, this.policy),
    );
  }

  async cancel(
    actor: Actor,
    context: RequestContext,
    marketId: number,
    reason: string | null = null,
  ): Promise<SettlementResult> {
    assertWellFormedFields({ 'actor.name': actor.name, reason });
    return this.#ledger.execute(
      context,
      'market.cancel',
      { actor: actor.id, marketId, reason },
      { userIds: [], marketId, allPositions: true },
      (snapshot) => decideCancel(snapshot, actor, marketId, reason, this.policy),
    );
  }

  /**
   * Cancels a coach-call market because its plan was deleted, refunding every stake, whoever deleted the plan
   * (the plan's author or an admin, which PlanService checked): a call that no longer exists cannot be judged.
   */
  async cancelForDeletedPlan(context: RequestContext, marketId: number): Promise<SettlementResult> {
    const systemOnly: AdminPolicy = { userIds: [SYSTEM_ACTOR.id], roleIds: [] };
    return this.#ledger.execute(
      context,
      'market.cancel-deleted-plan',
      { marketId },
      { userIds: [], marketId, allPositions: true },
      (snapshot) => {
        if (loadedMarket(snapshot, marketId).planId === null)
          throw new ValidationError(`Market #${marketId} is not on a plan.`, 'market');
        return decideCancel(snapshot, SYSTEM_ACTOR, marketId, 'The plan was deleted.', {
          ...this.policy,
          admins: systemOnly,
        });
      },
    );
  }

  async unresolve(
    actor: Actor,
    context: RequestContext,
    marketId: number,
    reason: string,
  ): Promise<UnresolveResult> {
    assertWellFormedFields({ 'actor.name': actor.name, reason });
    return this.#ledger.execute(
      context,
      'market.unresolve',
      { actor: actor.id, marketId, reason },
      { userIds: [], marketId, allPositions: true, settlementTransfers: true },
      (snapshot) =>
        decideUnresolve(snapshot, actor, marketId, reason, this.policy, this.settings.unresolveWindowHours),
    );
  }

  /**
   * Cancels markets left unresolved `autoCancelAfterDays` after close and forgets idempotency keys older than
   * the retention. Any process may run it at any time: each cancel re-checks the market inside its own
   * transaction, so two sweeps at once cannot pay twice.
   */
  async sweep(limit = 100): Promise<SweepResult> {
    const now = this.#ledger.now();
    const closedBefore = new Date(
      now.getTime() - this.settings.autoCancelAfterDays * 86_400_000,
    ).toISOString();
    const cancelled: number[] = [];
    for (const { guildId, marketId } of await this.#store.staleMarketIds(closedBefore, limit)) {
      const result = await this.#store.execute({
        guildId,
        now: now.toISOString(),
        clock: () => this.#ledger.now().toISOString(),
        idempotency: null,
        load: { userIds: [], marketId, allPositions: true },
        decide: (snapshot) => decideAutoCancel(snapshot, marketId, this.settings.autoCancelAfterDays),
      });
      if (result) cancelled.push(marketId);
    }
    const prunedKeys = await this.#store.pruneIdempotencyKeys(
      new Date(now.getTime() - IDEMPOTENCY_RETENTION_DAYS * 86_400_000).toISOString(),
    );
    return { cancelled, prunedKeys };
  }

  async get(guildId: string, marketId: number): Promise<Market> {
    const market = await this.#store.getMarket(guildId, marketId);
    if (!market) throw new NotFoundError(`No market with id ${marketId}.`);
    return market;
  }

  list(guildId: string, query: { status?: 'open' | 'settled'; limit?: number } = {}): Promise<Market[]> {
    return this.#store.listMarkets(guildId, {
      limit: query.limit ?? 25,
      ...(query.status ? { status: query.status } : {}),
    });
  }

  positions(marketId: number, userId: string): Promise<Position[]> {
    return this.#store.positionsOf(marketId, userId);
  }
}
