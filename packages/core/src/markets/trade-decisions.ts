import type { Actor } from '../plans/authorization.js';
import { escrowAccount, HOUSE_ACCOUNT, userAccount } from '../points/accounts.js';
import { EffectsBuilder } from '../points/effects-builder.js';
import type { LedgerDecision, LedgerSnapshot } from '../points/ledger-port.js';
import { MarketClosedError, NotFoundError, ValidationError } from '../shared/errors.js';
import { SHARE_UNIT, sharesToDecimalText } from '../shared/fixed-point.js';
import { type MarketDraft, marketPhase, validateOption, validateTradeAmount } from './market-rules.js';
import type { Market, TradeSide } from './market-types.js';
import { initialPools, isAmm, probabilitiesOf, withinProbabilityBounds } from './mechanisms/mechanism.js';
import { assertMinimumMet, pricingOf, probabilityUnits, quoteBuy, quoteSell } from './quotes.js';

/** The settings trading decisions need. */
export interface TradingSettings {
  readonly startingBalance: number;
  readonly maxBet: number;
}

export interface BuyRequest {
  readonly marketId: number;
  readonly option: number;
  readonly points: number;
  /** Refuse with PRICE_MOVED if fewer micro-shares would be received. */
  readonly minShares?: number | undefined;
}

export interface SellRequest {
  readonly marketId: number;
  readonly option: number;
  /** Micro-shares to sell. */
  readonly shares: number;
  /** Refuse with PRICE_MOVED if fewer points would be received. */
  readonly minPoints?: number | undefined;
}

/** What a trade did, as returned to the caller (and stored for idempotent replays). */
export interface TradeResult {
  /** The id of the recorded trade. */
  readonly tradeId: number;
  readonly marketId: number;
  readonly option: number;
  readonly side: TradeSide;
  readonly points: number;
  readonly shares: number;
  readonly averagePrice: number;
  readonly probabilities: readonly number[];
  /** The trader's balance and holding of the option afterwards. */
  readonly balance: number;
  readonly positionShares: number;
}

export function loadedMarket(snapshot: LedgerSnapshot, marketId: number): Market {
  const market = snapshot.market;
  if (!market || market.id !== marketId || market.guildId !== snapshot.guildId) {
    throw new NotFoundError(`No market with id ${marketId}.`);
  }
  return market;
}

/** MARKET_CLOSED unless the market takes trades at `now`. */
export function assertTrading(market: Market, now: string): void {
  const phase = marketPhase(market, now);
  if (phase === 'open') return;
  const why =
    phase === 'closed' ? 'closed for trading' : phase === 'resolved' ? 'already resolved' : 'cancelled';
  throw new MarketClosedError(`Market #${market.id} is ${why}; no more trades.`);
}

/** A new market: the subsidy moves from its payer (the creator, or the house for an admin) to the escrow. */
export function decideCreateMarket(
  snapshot: LedgerSnapshot,
  creator: Actor,
  draft: MarketDraft,
  options: { readonly paidByHouse: boolean; readonly startingBalance: number },
): LedgerDecision<Market> {
  const builder = new EffectsBuilder(snapshot);
  const id = snapshot.nextMarketId;
  const pools = initialPools(draft.mechanism, draft.subsidy, draft.options.length);
  const market: Market = {
    id,
    guildId: snapshot.guildId,
    question: draft.question,
    description: draft.description,
    mechanism: draft.mechanism,
    options: draft.options.map((label, index) => ({ index, label, pool: pools[index]! })),
    weight: draft.weight,
    subsidy: draft.subsidy,
    subsidyPayer: options.paidByHouse ? 'house' : 'creator',
    creatorId: creator.id,
    creatorName: creator.name,
    planId: draft.planId,
    coachId: draft.coachId,
    createdAt: snapshot.now,
    closesAt: draft.closesAt,
    status: 'open',
    resolution: null,
    settledAt: null,
    settledBy: null,
    settlements: 0,
    escrow: draft.subsidy,
  };
  builder.ensureAccount(creator.id, options.startingBalance);
  if (draft.subsidy > 0) {
    builder.ledger.transfer({
      from: options.paidByHouse ? HOUSE_ACCOUNT : userAccount(creator.id),
      to: escrowAccount(id),
      amount: draft.subsidy,
      kind: 'subsidy',
      marketId: id,
    });
  }
  builder.market = market;
  builder.events.push({
    type: 'market.created',
    marketId: id,
    payload: {
      marketId: id,
      question: market.question,
      mechanism: market.mechanism,
      options: market.options.map((option) => option.label),
      closesAt: market.closesAt,
      creatorId: market.creatorId,
      planId: market.planId,
      probabilities: probabilitiesOf(pricingOf(market)),
    },
  });
  return { result: market, effects: builder.effects() };
}

/** A buy: executes exactly the quote for the state inside the transaction, or refuses. */
export function decideBuy(
  snapshot: LedgerSnapshot,
  trader: Actor,
  request: BuyRequest,
  settings: TradingSettings,
): LedgerDecision<TradeResult> {
  const market = loadedMarket(snapshot, request.marketId);
  assertTrading(market, snapshot.now);
  const option = validateOption(market, request.option);
  const points = validateTradeAmount(request.points, settings.maxBet);
  const builder = new EffectsBuilder(snapshot);
  builder.ensureAccount(trader.id, settings.startingBalance);
  // The balance is checked first: "you cannot afford it" is the answer that matters most to the trader.
  builder.ledger.transfer({
    from: userAccount(trader.id),
    to: escrowAccount(market.id),
    amount: points,
    kind: 'bet',
    marketId: market.id,
  });
  const { quote, after } = tradableBuy(market, option, points);
  assertMinimumMet(quote.shares, request.minShares, 'shares');
  const position = builder.position(market.id, trader.id, option);
  const updated = {
    ...position,
    shares: position.shares + quote.shares,
    invested: position.invested + points,
  };
  builder.setPosition(updated);
  builder.market = after;
  recordTrade(
    builder,
    trader,
    'buy',
    option,
    points,
    quote.shares,
    quote.probabilitiesBefore,
    quote.probabilitiesAfter,
  );
  return {
    result: {
      tradeId: snapshot.nextTradeId,
      marketId: market.id,
      option,
      side: 'buy',
      points,
      shares: quote.shares,
      averagePrice: quote.averagePrice,
      probabilities: quote.probabilitiesAfter,
      balance: builder.userBalance(trader.id),
      positionShares: updated.shares,
    },
    effects: builder.effects(),
  };
}

/** A sell back to an AMM; the trader receives floor, and never more than the maker can redeem. */
export function decideSell(
  snapshot: LedgerSnapshot,
  trader: Actor,
  request: SellRequest,
  settings: TradingSettings,
): LedgerDecision<TradeResult> {
  const market = loadedMarket(snapshot, request.marketId);
  if (!isAmm(market.mechanism)) {
    throw new ValidationError('A parimutuel pool has no selling; stakes stay until it resolves.', 'market');
  }
  assertTrading(market, snapshot.now);
  const option = validateOption(market, request.option);
  // A whole number past 2^53 (a huge amount typed) is more than anyone holds: the holding check says so.
  if (!Number.isInteger(request.shares) || request.shares < 1) {
    throw new ValidationError('The number of shares to sell must be positive.', 'shares');
  }
  const builder = new EffectsBuilder(snapshot);
  builder.ensureAccount(trader.id, settings.startingBalance);
  const position = builder.position(market.id, trader.id, option);
  if (position.shares < request.shares) {
    // Exact to the micro-share: rounded, 99.999999 read as 100 and a "sell all 100" looked refused for nothing.
    const held = sharesToDecimalText(position.shares);
    throw new ValidationError(`You hold only ${held} shares of ${market.options[option]!.label}.`, 'shares');
  }
  const { quote, after } = tradableSell(market, option, request.shares);
  assertMinimumMet(quote.points, request.minPoints, 'points');
  builder.ledger.transfer({
    from: escrowAccount(market.id),
    to: userAccount(trader.id),
    amount: quote.points,
    kind: 'sell',
    marketId: market.id,
  });
  const updated = {
    ...position,
    shares: position.shares - request.shares,
    takenOut: position.takenOut + quote.points,
  };
  builder.setPosition(updated);
  builder.market = after;
  recordTrade(
    builder,
    trader,
    'sell',
    option,
    quote.points,
    request.shares,
    quote.probabilitiesBefore,
    quote.probabilitiesAfter,
  );
  return {
    result: {
      tradeId: snapshot.nextTradeId,
      marketId: market.id,
      option,
      side: 'sell',
      points: quote.points,
      shares: request.shares,
      averagePrice: quote.points / (request.shares / SHARE_UNIT),
      probabilities: quote.probabilitiesAfter,
      balance: builder.userBalance(trader.id),
      positionShares: updated.shares,
    },
    effects: builder.effects(),
  };
}

/**
 * What `points` on `option` buy, refused as the trade itself would be: a quote that answers where the bet
 * would fail would mislead (quotes and trades share this, so they cannot drift apart).
 */
export function tradableBuy(market: Market, option: number, points: number): ReturnType<typeof quoteBuy> {
  const quoted = quoteBuy(market, option, points);
  if (quoted.quote.shares <= 0) {
    throw new ValidationError('That amount is too small to buy any shares.', 'amount');
  }
  assertPriceInBounds(market, quoted.quote.probabilitiesAfter);
  return quoted;
}

/** What selling `shares` micro-shares of `option` returns, refused as the sale itself would be. */
export function tradableSell(market: Market, option: number, shares: number): ReturnType<typeof quoteSell> {
  const quoted = quoteSell(market, option, shares);
  if (quoted.quote.points < 1)
    throw new ValidationError('Those shares are worth less than 1 point.', 'shares');
  assertPriceInBounds(market, quoted.quote.probabilitiesAfter);
  return quoted;
}

/** An AMM refuses a trade that would push a price to within 1e-6 of 0 or 1, where float64 loses it. */
function assertPriceInBounds(market: Market, probabilities: readonly number[]): void {
  if (!isAmm(market.mechanism) || withinProbabilityBounds(probabilities)) return;
  throw new ValidationError(
    'That trade would push the price to within 0.0001% of certainty. Trade a smaller amount.',
    'amount',
  );
}

function recordTrade(
  builder: EffectsBuilder,
  trader: Actor,
  side: TradeSide,
  option: number,
  points: number,
  shares: number,
  before: readonly number[],
  after: readonly number[],
): void {
  const marketId = builder.market!.id;
  builder.trades.push({
    marketId,
    userId: trader.id,
    option,
    side,
    points,
    shares,
    probabilitiesBefore: probabilityUnits(before),
    probabilitiesAfter: probabilityUnits(after),
  });
  builder.events.push({
    type: 'market.traded',
    marketId,
    payload: { marketId, userId: trader.id, side, option, points, shares, probabilities: after },
  });
}
