import {
  type BuyQuote,
  type CoachCalls,
  fromProbabilityUnits,
  type MarketSummary,
  type Portfolio,
  type ProbabilityPoint,
  type SellQuote,
  type SettlementResult,
  SHARE_UNIT,
  type Trade,
  type TradeResult,
  type UnresolveResult,
  type UserStanding,
} from '@coachwire/core';

/** Micro-shares as the decimal number of shares clients see. */
export const sharesOf = (microShares: number) => microShares / SHARE_UNIT;

/** A market summary in the shape integrations rely on (issue 14). */
export function marketJson(summary: MarketSummary) {
  const { market } = summary;
  const pool = market.mechanism === 'pool';
  const resolution = summary.resolution;
  return {
    id: market.id,
    guild_id: market.guildId,
    question: market.question,
    description: market.description,
    mechanism: market.mechanism,
    status: summary.phase,
    created_at: market.createdAt,
    closes_at: market.closesAt,
    options: summary.options.map((option) => ({
      id: option.index,
      label: option.label,
      probability: pool ? null : option.probability,
      pool: option.pool,
      odds: option.odds,
    })),
    volume: summary.volume,
    bettors: summary.bettors,
    resolution:
      resolution === null
        ? null
        : resolution.kind === 'option'
          ? { outcome: resolution.option, label: resolution.label, probability: null }
          : { outcome: 'MKT' as const, label: null, probability: resolution.probability },
    plan_id: market.planId,
    coach_id: market.coachId,
    creator_id: market.creatorId,
    subsidy: market.subsidy,
    settled_at: market.settledAt,
  };
}

/** Display names by user id, as the bot last saw them; a member it never saw has none. */
export type MemberNames = ReadonlyMap<string, string>;

export function tradeJson(trade: Trade, names: MemberNames) {
  return {
    id: trade.id,
    market_id: trade.marketId,
    user_id: trade.userId,
    user_name: names.get(trade.userId) ?? null,
    option_id: trade.option,
    kind: trade.side,
    amount: trade.points,
    shares: sharesOf(trade.shares),
    probabilities: trade.probabilitiesAfter.map(fromProbabilityUnits),
    created_at: trade.createdAt,
  };
}

export function historyJson(marketId: number, points: readonly ProbabilityPoint[]) {
  return {
    market_id: marketId,
    data: points.map((point) => ({
      at: point.at,
      probabilities: Object.fromEntries(
        point.probabilities.map((units, index) => [String(index), fromProbabilityUnits(units)]),
      ),
    })),
  };
}

/** A bet or a sell as executed (also what a replay of its idempotency key answers). */
function executedTradeJson(result: TradeResult, userId: string, summary: MarketSummary) {
  return {
    trade: {
      id: result.tradeId,
      market_id: result.marketId,
      user_id: userId,
      option_id: result.option,
      amount: result.points,
      shares: sharesOf(result.shares),
      average_price: result.averagePrice,
    },
    market: marketJson(summary),
    balance: result.balance,
    position_shares: sharesOf(result.positionShares),
  };
}

export function betResultJson(result: TradeResult, userId: string, summary: MarketSummary) {
  const { trade, ...rest } = executedTradeJson(result, userId, summary);
  return { bet: trade, ...rest };
}

export function sellResultJson(result: TradeResult, userId: string, summary: MarketSummary) {
  const { trade, ...rest } = executedTradeJson(result, userId, summary);
  return { sell: trade, ...rest };
}

export function quoteJson(quote: BuyQuote | SellQuote, side: 'buy' | 'sell') {
  const shares = sharesOf(quote.shares);
  return {
    market_id: quote.marketId,
    option_id: quote.option,
    side,
    amount: quote.points,
    shares,
    average_price: shares === 0 ? null : quote.points / shares,
    probabilities_before: [...quote.probabilitiesBefore],
    probabilities_after: [...quote.probabilitiesAfter],
    payout_if_wins: 'payoutIfWins' in quote ? quote.payoutIfWins : null,
  };
}

export function settledMarketJson(summary: MarketSummary, result: SettlementResult | UnresolveResult) {
  const settlement =
    'paidToTraders' in result
      ? { paid_to_traders: result.paidToTraders, lp_return: result.lpReturn, dust: result.dust }
      : { paid_to_traders: 0, lp_return: 0, dust: 0, reversed: result.reversed };
  return { ...marketJson(summary), settlement };
}

export function leaderboardJson(
  guildId: string,
  period: 'all' | 'month',
  standings: readonly UserStanding[],
  names: MemberNames,
) {
  return {
    guild_id: guildId,
    period,
    data: standings.map((standing) => ({
      rank: standing.rank,
      user_id: standing.userId,
      user_name: names.get(standing.userId) ?? null,
      balance: standing.balance,
      profit: standing.profitAndLoss,
    })),
  };
}

export function userJson(portfolio: Portfolio, names: MemberNames) {
  return {
    guild_id: portfolio.guildId,
    user_id: portfolio.userId,
    user_name: names.get(portfolio.userId) ?? null,
    balance: portfolio.balance,
    positions: portfolio.positions.map((position) => ({
      market_id: position.marketId,
      question: position.question,
      option_id: position.option,
      label: position.label,
      shares: sharesOf(position.shares),
      invested: position.invested,
      value: position.value,
    })),
    profit: portfolio.profit,
    realized_profit: portfolio.realizedProfit,
  };
}

export function coachCallsJson(calls: CoachCalls) {
  const { scoreboard } = calls;
  return {
    coach: calls.coachId,
    coach_name: calls.coachName,
    calls: calls.calls.map((call) => {
      const resolution = call.market?.resolution ?? null;
      return {
        plan_id: call.plan.id,
        trading_date: call.plan.tradingDate,
        market_id: call.market?.market.id ?? null,
        status: call.market?.phase ?? null,
        probability: call.market?.probabilities[0] ?? null,
        probability_at_close: call.probabilityAtClose,
        resolution: resolution === null ? null : resolution.kind === 'option' ? resolution.label : 'MKT',
      };
    }),
    scoreboard: {
      calls: calls.calls.length,
      resolved: scoreboard.callsResolved,
      hits: scoreboard.hits,
      hit_rate: scoreboard.hitRate,
      average_probability: scoreboard.averageCrowdProbability,
      brier_score: scoreboard.brierScore,
    },
  };
}
