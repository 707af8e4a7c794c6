import type { PlanService } from '../plans/plan-service.js';
import type { Plan } from '../plans/types.js';
import type { LedgerStore } from '../points/ledger-port.js';
import type { PointsService } from '../points/points-service.js';
import type { UserStanding } from '../points/standings.js';
import type { Clock } from '../shared/clock.js';
import { systemClock } from '../shared/clock.js';
import { tradingDateIn } from '../shared/dates.js';
import { NotFoundError, ValidationError } from '../shared/errors.js';
import { type CoachScoreboard, callMarketOfPlan, coachScoreboard } from './coach-calls.js';
import type { MarketReadStore, MarketStats, MarketWithStats, ProbabilityPoint } from './market-read-port.js';
import { type MarketSummary, summarizeMarket, valueOfPosition } from './market-summary.js';
import type { Market, MarketPhase, Trade } from './market-types.js';

export const DEFAULT_MARKET_PAGE_SIZE = 50;
export const MAX_MARKET_PAGE_SIZE = 100;
export const MAX_HISTORY_POINTS = 1000;
/** Plans of one coach a coach-calls answer covers at most (the newest). */
export const MAX_COACH_CALLS = 500;

export interface ResultPage<T> {
  readonly items: T[];
  /** Opaque; pass it back as `cursor` for the next page. Null on the last page. */
  readonly nextCursor: string | null;
}

/** A page of a market's trades, with the market's guild (where its traders' names are looked up). */
export interface TradePage extends ResultPage<Trade> {
  readonly guildId: string;
}

export interface MarketListFilter {
  readonly guildId?: string | undefined;
  readonly status?: MarketPhase | undefined;
  readonly planId?: number | undefined;
  readonly cursor?: string | undefined;
  readonly limit?: number | undefined;
}

/** A user's holding valued at the current price. */
export interface PositionValue {
  readonly marketId: number;
  readonly question: string;
  readonly option: number;
  readonly label: string;
  readonly shares: number;
  readonly invested: number;
  readonly takenOut: number;
  /** Points the holding is worth now: shares × probability (AMM), the expected payout (pool); rounded down. */
  readonly value: number;
}

export interface Portfolio {
  readonly guildId: string;
  readonly userId: string;
  /** False for a user never seen in this guild (the balance shown is the starting balance). */
  readonly known: boolean;
  readonly balance: number;
  readonly positions: PositionValue[];
  /** Points won minus points lost in markets, all time, without open positions. */
  readonly realizedProfit: number;
  /** realizedProfit plus the value of the open positions. */
  readonly profit: number;
}

/** A coach's plan and the market on it, if one was opened. */
export interface CoachCall {
  readonly plan: Plan;
  readonly market: MarketSummary | null;
  /** P(YES) when trading stopped; null while the market is open or when there is none. */
  readonly probabilityAtClose: number | null;
}

export interface CoachCalls {
  readonly coachId: string;
  readonly coachName: string;
  readonly calls: CoachCall[];
  readonly scoreboard: CoachScoreboard;
}

export interface MarketQueryDependencies {
  readonly reads: MarketReadStore;
  readonly ledger: LedgerStore;
  readonly plans: PlanService;
  readonly points: PointsService;
  readonly timezone: string;
  readonly clock?: Clock | undefined;
}

const CURSOR = /^[1-9]\d{0,14}$/;

function limitOf(limit: number | undefined, fallback: number, max: number): number {
  const value = limit ?? fallback;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new ValidationError(`limit must be an integer from 1 to ${max}.`, 'limit');
  }
  return value;
}

function beforeIdOf(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  if (!CURSOR.test(cursor)) throw new ValidationError('Invalid cursor: pass back a next_cursor.', 'cursor');
  return Number(cursor);
}

function pageOf<T>(rows: T[], limit: number, idOf: (row: T) => number): ResultPage<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? String(idOf(last)) : null };
}

/** What never changes once a market exists: its guild and its options' ids and labels. */
export interface MarketIdentity {
  readonly id: number;
  readonly guildId: string;
  readonly options: readonly { readonly index: number; readonly label: string }[];
}

/** Identities kept; past this the memo starts over (a re-read costs one summary). */
const MAX_IDENTITIES = 10_000;

/** The read side of markets for the API and the bot: summaries, pages, trades, history, portfolios, calls. */
export class MarketQueries {
  readonly #reads: MarketReadStore;
  readonly #ledger: LedgerStore;
  readonly #plans: PlanService;
  readonly #points: PointsService;
  readonly #timezone: string;
  readonly #clock: Clock;
  readonly #identities = new Map<number, MarketIdentity>();
  /** Reads of `marketAfterWrite` that have not started yet, by market. */
  readonly #pendingFreshReads = new Map<number, Promise<MarketSummary>>();

  constructor(dependencies: MarketQueryDependencies) {
    this.#reads = dependencies.reads;
    this.#ledger = dependencies.ledger;
    this.#plans = dependencies.plans;
    this.#points = dependencies.points;
    this.#timezone = dependencies.timezone;
    this.#clock = dependencies.clock ?? systemClock;
  }

  #now(): string {
    return new Date(this.#clock.now()).toISOString();
  }

  #summary(market: Market, stats: MarketStats, now = this.#now()): MarketSummary {
    return summarizeMarket(market, stats, now);
  }

  /** One market with its phase, prices, volume and bettors; NOT_FOUND when there is none. */
  async market(marketId: number): Promise<MarketSummary> {
    const found = await this.#reads.marketById(marketId);
    if (!found) throw new NotFoundError(`No market with id ${marketId}.`);
    return this.#summary(found.market, found.stats);
  }

  /**
   * The market as it is now, for a caller whose write to it has finished (a bet's answer shows the market
   * after the bet). Callers asking while the same callback's promise continuations run share one read, which
   * starts once they have all run (`process.nextTick` from a continuation runs after the whole microtask
   * queue): after every one of them asked, so it sees each one's committed write, on any backend. A read that
   * has started is never shared with a later caller (it could miss that caller's write). The concurrent bets
   * the ledger commits together are answered by one callback, so a busy market is read once per group, not
   * once per bet, and the answers leave before the next requests are parsed.
   */
  marketAfterWrite(marketId: number): Promise<MarketSummary> {
    const pending = this.#pendingFreshReads.get(marketId);
    if (pending) return pending;
    const read = new Promise<void>((resolve) => process.nextTick(resolve)).then(() => {
      this.#pendingFreshReads.delete(marketId);
      return this.market(marketId);
    });
    this.#pendingFreshReads.set(marketId, read);
    return read;
  }

  /**
   * A market's guild and options, remembered after the first read: neither ever changes (no statement updates
   * them and ids are never reused), so a write route can name its option without reading the whole summary.
   * Only for routing a request: every decision still reads the market inside its own write transaction.
   * NOT_FOUND when there is none (an unknown id is never remembered).
   */
  async marketIdentity(marketId: number): Promise<MarketIdentity> {
    const known = this.#identities.get(marketId);
    if (known) return known;
    const { market } = await this.market(marketId);
    const identity: MarketIdentity = {
      id: market.id,
      guildId: market.guildId,
      options: market.options.map((option) => ({ index: option.index, label: option.label })),
    };
    if (this.#identities.size >= MAX_IDENTITIES) this.#identities.clear();
    this.#identities.set(marketId, identity);
    return identity;
  }

  /** Markets newest first, filtered by guild, phase and plan, one page at a time. */
  async list(filter: MarketListFilter = {}): Promise<ResultPage<MarketSummary>> {
    const limit = limitOf(filter.limit, DEFAULT_MARKET_PAGE_SIZE, MAX_MARKET_PAGE_SIZE);
    const now = this.#now();
    const rows = await this.#reads.listMarkets({
      now,
      guildId: filter.guildId,
      phase: filter.status,
      planId: filter.planId,
      beforeId: beforeIdOf(filter.cursor),
      limit: limit + 1,
    });
    const page = pageOf(rows, limit, (row) => row.market.id);
    return {
      items: page.items.map((row) => this.#summary(row.market, row.stats, now)),
      nextCursor: page.nextCursor,
    };
  }

  /** A market's trades, newest first. */
  async trades(
    marketId: number,
    query: { cursor?: string | undefined; limit?: number | undefined } = {},
  ): Promise<TradePage> {
    const limit = limitOf(query.limit, DEFAULT_MARKET_PAGE_SIZE, MAX_MARKET_PAGE_SIZE);
    const { market } = await this.#existing(marketId);
    const rows = await this.#reads.tradesOf(marketId, {
      beforeId: beforeIdOf(query.cursor),
      limit: limit + 1,
    });
    return { ...pageOf(rows, limit, (trade) => trade.id), guildId: market.guildId };
  }

  /** The probabilities over time: the start, then after each trade (spread evenly when there are many). */
  async history(
    marketId: number,
    maxPoints = MAX_HISTORY_POINTS,
  ): Promise<{ market: MarketSummary; points: ProbabilityPoint[] }> {
    const market = await this.market(marketId);
    const start: ProbabilityPoint = {
      at: market.market.createdAt,
      probabilities: market.initialProbabilities,
    };
    const points = await this.#reads.historyOf(marketId, Math.max(1, maxPoints - 1));
    return { market, points: [start, ...points] };
  }

  /** A user's balance, open positions at today's prices, and profit. */
  async portfolio(guildId: string, userId: string): Promise<Portfolio> {
    const [account, holdings, flows] = await Promise.all([
      this.#ledger.userAccount(guildId, userId),
      this.#reads.openPositionsOf(guildId, userId),
      this.#ledger.userFlows(guildId),
    ]);
    const balance = account ? account.balance : this.#points.settings.startingBalance;
    const positions = holdings.map(({ position, market }) => ({
      marketId: market.id,
      question: market.question,
      option: position.option,
      label: market.options[position.option]?.label ?? String(position.option),
      shares: position.shares,
      invested: position.invested,
      takenOut: position.takenOut,
      value: valueOfPosition(market, position),
    }));
    const realizedProfit = flows.find((flow) => flow.userId === userId)?.tradingNet ?? 0;
    const open = positions.reduce((sum, position) => sum + position.value, 0);
    return {
      guildId,
      userId,
      known: account !== null,
      balance,
      positions,
      realizedProfit,
      profit: realizedProfit + open,
    };
  }

  /** The leaderboard by profit: all time, or the current calendar month in the configured timezone. */
  leaderboard(guildId: string, period: 'all' | 'month', limit = 25): Promise<UserStanding[]> {
    if (period === 'all') return this.#points.leaderboard(guildId, { limit });
    const month = tradingDateIn(this.#timezone, new Date(this.#clock.now())).slice(0, 7);
    return this.#points.leaderboard(guildId, { month, limit });
  }

  /** A coach's plans in [from, to] (newest first), each with its market, and the crowd's scoreboard. */
  async coachCalls(
    coach: string,
    range: { from?: string | undefined; to?: string | undefined } = {},
  ): Promise<CoachCalls> {
    const plans: Plan[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.#plans.list({ coach, from: range.from, to: range.to, limit: 200, cursor });
      plans.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined && plans.length < MAX_COACH_CALLS);
    // The last page can run past the cap: the scoreboard counts the calls listed, no others.
    plans.splice(MAX_COACH_CALLS);
    const coachId = plans[0]?.coach ?? this.#plans.resolveCoach(coach).id;
    const markets = await this.#reads.marketsOfPlans(plans.map((plan) => plan.id));
    // One market per plan is shown and scored: the first one that was not cancelled, else the first.
    const marketOfPlan = callMarketOfPlan(markets, (row) => row.market);
    const now = this.#now();
    const calls = plans.map((plan): CoachCall => {
      const row = marketOfPlan.get(plan.id);
      if (!row) return { plan, market: null, probabilityAtClose: null };
      const summary = this.#summary(row.market, row.stats, now);
      const stopped = summary.phase !== 'open';
      return { plan, market: summary, probabilityAtClose: stopped ? summary.probabilities[0]! : null };
    });
    const scored = [...marketOfPlan.values()].map((row) => ({ ...row.market, coachId }));
    return {
      coachId,
      coachName: this.#plans.coachName(coachId),
      calls,
      scoreboard: coachScoreboard(coachId, scored),
    };
  }

  async #existing(marketId: number): Promise<MarketWithStats> {
    const market = await this.#reads.marketById(marketId);
    if (!market) throw new NotFoundError(`No market with id ${marketId}.`);
    return market;
  }
}
