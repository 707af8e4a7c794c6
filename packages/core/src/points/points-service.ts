import type { RequestContext } from '../markets/market-service.js';
import {
  firstTradingDayFrom,
  type MarketServiceOptions,
  type MarketSettings,
} from '../markets/market-settings.js';
import { type Actor, isAdmin } from '../plans/authorization.js';
import { tradingDateIn } from '../shared/dates.js';
import { ForbiddenError, ValidationError } from '../shared/errors.js';
import { assertWellFormedFields } from '../shared/well-formed-text.js';
import type { LedgerDecision, LedgerSnapshot, LedgerStore } from './ledger-port.js';
import { LedgerRunner } from './ledger-runner.js';
import {
  type BalanceResult,
  type DailyClaimResult,
  decideAdminGrant,
  decideDailyClaim,
  decideOpenAccount,
} from './points-decisions.js';
import { calendarMonthPeriod, rankStandings, type UserStanding } from './standings.js';

/** Points use cases: balances, the daily claim, admin grants, profit and loss, and the leaderboard. */
export class PointsService {
  readonly settings: MarketSettings;
  readonly #store: LedgerStore;
  readonly #ledger: LedgerRunner;

  constructor(store: LedgerStore, options: MarketServiceOptions) {
    this.#store = store;
    this.#ledger = new LedgerRunner(store, options);
    this.settings = this.#ledger.settings;
  }

  /** The user's balance; a user who never used points is shown the starting balance they will get. */
  async balance(guildId: string, userId: string): Promise<BalanceResult> {
    const account = await this.#store.userAccount(guildId, userId);
    return { userId, balance: account ? account.balance : this.settings.startingBalance };
  }

  /** Opens the user's account with its starting grant (a no-op for an existing account). */
  async openAccount(actor: Actor, context: RequestContext): Promise<BalanceResult> {
    return this.#execute(context, 'points.open', { actor: actor.id }, [actor.id], (snapshot) =>
      decideOpenAccount(snapshot, actor.id, this.settings),
    );
  }

  /** Claims today's daily points; on a non-trading day the claim counts for the next trading day. */
  async claimDaily(actor: Actor, context: RequestContext): Promise<DailyClaimResult> {
    const today = tradingDateIn(this.#ledger.timezone, this.#ledger.now());
    const tradingDate = firstTradingDayFrom(this.#ledger.tradingDays, today);
    // The fingerprint is what the client asked, not the date the server derived: the same key replayed the
    // next day is the same request, and returns the first claim.
    return this.#execute(context, 'points.daily', { actor: actor.id }, [actor.id], (snapshot) =>
      decideDailyClaim(snapshot, actor.id, tradingDate, this.settings),
    );
  }

  /** An admin grants (amount > 0) or removes (amount < 0) points, with a reason; audited. */
  async grant(
    admin: Actor,
    context: RequestContext,
    userId: string,
    amount: number,
    reason: string,
  ): Promise<BalanceResult> {
    if (!isAdmin(admin, this.#ledger.admins))
      throw new ForbiddenError('Only an admin can grant or remove points.');
    assertWellFormedFields({ 'actor.name': admin.name, reason });
    return this.#execute(
      context,
      'points.grant',
      { actor: admin.id, userId, amount, reason },
      [userId],
      (snapshot) => decideAdminGrant(snapshot, admin, userId, amount, reason, this.settings),
    );
  }

  /** Profit and loss from markets, all time. */
  async standing(guildId: string, userId: string): Promise<UserStanding | null> {
    const flows = await this.#store.userFlows(guildId);
    return rankStandings(flows, flows.length).find((standing) => standing.userId === userId) ?? null;
  }

  /** The leaderboard by market profit and loss: all time, or one calendar month ("2026-11") in the timezone. */
  async leaderboard(
    guildId: string,
    options: { month?: string; limit?: number } = {},
  ): Promise<UserStanding[]> {
    let period: { from: string; to: string } | undefined;
    if (options.month !== undefined) {
      const bounds = calendarMonthPeriod(options.month, this.#ledger.timezone);
      if (!bounds) throw new ValidationError(`Invalid month '${options.month}'. Use YYYY-MM.`, 'month');
      period = bounds;
    }
    return rankStandings(await this.#store.userFlows(guildId, period), options.limit ?? 10);
  }

  #execute<R>(
    context: RequestContext,
    operation: string,
    request: unknown,
    userIds: string[],
    decide: (snapshot: LedgerSnapshot) => LedgerDecision<R>,
  ): Promise<R> {
    return this.#ledger.execute(context, operation, request, { userIds }, decide);
  }
}
