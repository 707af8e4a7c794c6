import type { Actor } from '../plans/authorization.js';
import { ConflictError, InsufficientBalanceError, ValidationError } from '../shared/errors.js';
import { pointCount } from '../shared/point-count.js';
import { HOUSE_ACCOUNT, userAccount } from './accounts.js';
import { EffectsBuilder } from './effects-builder.js';
import type { LedgerDecision, LedgerSnapshot } from './ledger-port.js';

/** The points settings of a guild's economy. */
export interface PointsSettings {
  /** Granted when a user's account is opened on first use. */
  readonly startingBalance: number;
  /** Claimable once per trading day. */
  readonly dailyAmount: number;
}

export const DEFAULT_POINTS_SETTINGS: PointsSettings = { startingBalance: 1000, dailyAmount: 100 };

export interface BalanceResult {
  readonly userId: string;
  readonly balance: number;
}

export interface DailyClaimResult extends BalanceResult {
  readonly claimed: number;
  readonly tradingDate: string;
}

/** Opens the user's account (with its starting grant) if it is new. */
export function decideOpenAccount(
  snapshot: LedgerSnapshot,
  userId: string,
  settings: PointsSettings,
): LedgerDecision<BalanceResult> {
  const builder = new EffectsBuilder(snapshot);
  builder.ensureAccount(userId, settings.startingBalance);
  return { result: { userId, balance: builder.userBalance(userId) }, effects: builder.effects() };
}

/** The daily claim: once per trading day (in the configured timezone), refused as CONFLICT the second time. */
export function decideDailyClaim(
  snapshot: LedgerSnapshot,
  userId: string,
  tradingDate: string,
  settings: PointsSettings,
): LedgerDecision<DailyClaimResult> {
  const builder = new EffectsBuilder(snapshot);
  builder.ensureAccount(userId, settings.startingBalance);
  const last = snapshot.users.get(userId)?.lastDailyDate ?? null;
  if (last !== null && last >= tradingDate) {
    throw new ConflictError(`You already claimed your daily points for ${tradingDate}.`);
  }
  builder.ledger.transfer({
    from: HOUSE_ACCOUNT,
    to: userAccount(userId),
    amount: settings.dailyAmount,
    kind: 'daily',
    marketId: null,
    memo: tradingDate,
  });
  builder.dailyClaims.push({ userId, tradingDate });
  builder.events.push({
    type: 'points.granted',
    marketId: null,
    payload: { userId, amount: settings.dailyAmount, kind: 'daily', tradingDate },
  });
  return {
    result: { userId, balance: builder.userBalance(userId), claimed: settings.dailyAmount, tradingDate },
    effects: builder.effects(),
  };
}

/**
 * The most points one admin grant or removal moves. Points are play money counted in whole numbers held as
 * JavaScript numbers, exact only up to 2^53: a grant of 9,007,199,254,740,991 stored a balance one point off,
 * and sums over such balances (the ledger check) were off too. A bound far below that keeps every balance and
 * every sum exact.
 */
export const MAX_GRANT = 1_000_000;

/**
 * An admin's grant (amount > 0) or removal (amount < 0) of points, with a reason; audited. A removal may not
 * take a user below 0.
 */
export function decideAdminGrant(
  snapshot: LedgerSnapshot,
  admin: Actor,
  userId: string,
  amount: number,
  reason: string,
  settings: PointsSettings,
): LedgerDecision<BalanceResult> {
  if (!Number.isSafeInteger(amount) || amount === 0) {
    throw new ValidationError('The amount must be a whole number of points, not 0.', 'amount');
  }
  if (Math.abs(amount) > MAX_GRANT) {
    throw new ValidationError(`One grant or removal moves at most ${pointCount(MAX_GRANT)}.`, 'amount');
  }
  const why = reason.trim();
  if (why.length === 0) throw new ValidationError('Say why points are granted or removed.', 'reason');
  const builder = new EffectsBuilder(snapshot);
  builder.ensureAccount(userId, settings.startingBalance);
  const user = userAccount(userId);
  if (amount > 0) {
    builder.ledger.transfer({
      from: HOUSE_ACCOUNT,
      to: user,
      amount,
      kind: 'admin_grant',
      marketId: null,
      memo: why,
    });
  } else {
    // Refused here, naming whose balance is short, before the ledger's own overdraft guard would tell the
    // admin "You have N points" about the member's N. Same code as that guard (the API answers 409 either way).
    const has = builder.ledger.balance(user);
    if (-amount > has) {
      throw new InsufficientBalanceError(
        `The member has ${pointCount(has)}, so at most ${has.toLocaleString('en-US')} can be removed.`,
        {
          balance: has,
          required: -amount,
        },
      );
    }
    builder.ledger.transfer({
      from: user,
      to: HOUSE_ACCOUNT,
      amount: -amount,
      kind: 'admin_removal',
      marketId: null,
      memo: why,
    });
  }
  builder.events.push({
    type: 'points.granted',
    marketId: null,
    payload: { userId, amount, kind: amount > 0 ? 'admin_grant' : 'admin_removal', by: admin.id },
  });
  builder.audit.push({
    actorId: admin.id,
    actorName: admin.name,
    action: amount > 0 ? 'points.grant' : 'points.remove',
    subject: `user:${userId}`,
    reason: `${why} (${amount > 0 ? '+' : ''}${amount})`,
  });
  return { result: { userId, balance: builder.userBalance(userId) }, effects: builder.effects() };
}
