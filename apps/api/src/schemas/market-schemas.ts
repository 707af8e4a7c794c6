import { Type } from 'typebox';
import { nullable } from './nullable.js';

// The market shapes integrations rely on (issue 14); snake_case like the rest of /api/v1.

const probability = (description: string) => Type.Number({ minimum: 0, maximum: 1, description });
const nullableNumber = (description: string) => nullable(Type.Number({ description }));

export const MarketOptionJson = Type.Object(
  {
    id: Type.Integer({ description: "The option's id: its position in the market, from 0 (YES is 0)." }),
    label: Type.String(),
    probability: nullableNumber('The current probability (AMM markets); null for a parimutuel pool.'),
    pool: nullable(
      Type.Integer({ description: 'Points staked on the option (pool markets); null for AMMs.' }),
    ),
    odds: nullableNumber('Pool markets: the payout per point staked, total / pool; null when empty or AMM.'),
  },
  { title: 'MarketOption' },
);

export const ResolutionJson = Type.Object(
  {
    outcome: Type.Union([Type.Integer(), Type.Literal('MKT')], {
      description: "The winning option's id, or MKT for a cpmm market resolved to a probability.",
    }),
    label: nullable(Type.String({ description: "The winning option's label; null for MKT." })),
    probability: nullableNumber('The MKT probability; null for an option.'),
  },
  { title: 'Resolution' },
);

export const MarketJson = Type.Object(
  {
    id: Type.Integer(),
    guild_id: Type.String(),
    question: Type.String(),
    description: nullable(Type.String()),
    mechanism: Type.Union([Type.Literal('cpmm'), Type.Literal('lmsr'), Type.Literal('pool')]),
    status: Type.Union(
      [Type.Literal('open'), Type.Literal('closed'), Type.Literal('resolved'), Type.Literal('cancelled')],
      { description: 'closed: past closes_at, awaiting resolution.' },
    ),
    created_at: Type.String({ description: 'ISO-8601 UTC.' }),
    closes_at: Type.String({ description: 'ISO-8601 UTC; moved to the moment of an early settlement.' }),
    options: Type.Array(MarketOptionJson),
    volume: Type.Integer({ description: 'Points traded: stakes plus sale proceeds.' }),
    bettors: Type.Integer({ description: 'Distinct users who traded.' }),
    resolution: Type.Union([ResolutionJson, Type.Null()]),
    plan_id: nullable(Type.Integer({ description: 'The plan of a coach-call market.' })),
    coach_id: nullable(Type.String()),
    creator_id: Type.String(),
    subsidy: Type.Integer(),
    settled_at: nullable(Type.String()),
  },
  { $id: 'Market', title: 'Market' },
);

const marketRef = Type.Ref('Market');
const nextCursor = nullable(
  Type.String({ description: 'Pass as `cursor` for the next page; null on the last.' }),
);

export const MarketPageJson = Type.Object(
  { data: Type.Array(marketRef), next_cursor: nextCursor },
  { title: 'MarketPage' },
);

/** A member's display name beside their Discord id. */
const userName = Type.Union([Type.String(), Type.Null()], {
  description: "The member's display name as the bot last saw it; null for a member it never saw.",
});

export const TradeJson = Type.Object(
  {
    id: Type.Integer(),
    market_id: Type.Integer(),
    user_id: Type.String(),
    user_name: userName,
    option_id: Type.Integer(),
    kind: Type.Union([Type.Literal('buy'), Type.Literal('sell')]),
    amount: Type.Integer({ description: 'Points paid (buy) or received (sell).' }),
    shares: Type.Number({ description: 'Shares bought or sold (a decimal number).' }),
    probabilities: Type.Array(probability('After the trade, in option order.')),
    created_at: Type.String(),
  },
  { title: 'Trade' },
);

export const TradePageJson = Type.Object(
  { data: Type.Array(TradeJson), next_cursor: nextCursor },
  { title: 'TradePage' },
);

export const HistoryJson = Type.Object(
  {
    market_id: Type.Integer(),
    data: Type.Array(
      Type.Object({
        at: Type.String({ description: 'ISO-8601 UTC: the opening, then each trade (sampled when many).' }),
        probabilities: Type.Record(Type.String(), Type.Number(), { description: 'By option id.' }),
      }),
    ),
  },
  { title: 'MarketHistory' },
);

export const BetJson = Type.Object(
  {
    id: Type.Integer({ description: "The trade's id." }),
    market_id: Type.Integer(),
    user_id: Type.String(),
    option_id: Type.Integer(),
    amount: Type.Integer({ description: 'Points staked (bet) or received (sell).' }),
    shares: Type.Number({ description: 'A decimal number; for a pool market it equals the stake.' }),
    average_price: Type.Number(),
  },
  { title: 'Bet' },
);

export const BetResultJson = Type.Object(
  {
    bet: BetJson,
    market: marketRef,
    balance: Type.Integer({ description: "The user's balance after the trade." }),
    position_shares: Type.Number({ description: "The user's shares of the option after the trade." }),
  },
  { title: 'BetResult' },
);

export const SellResultJson = Type.Object(
  { sell: BetJson, market: marketRef, balance: Type.Integer(), position_shares: Type.Number() },
  { title: 'SellResult' },
);

export const QuoteJson = Type.Object(
  {
    market_id: Type.Integer(),
    option_id: Type.Integer(),
    side: Type.Union([Type.Literal('buy'), Type.Literal('sell')]),
    amount: Type.Integer({ description: 'Points paid (buy) or received (sell).' }),
    shares: Type.Number(),
    average_price: nullableNumber('Points per share; null when no shares.'),
    probabilities_before: Type.Array(Type.Number()),
    probabilities_after: Type.Array(Type.Number()),
    payout_if_wins: nullable(
      Type.Integer({ description: 'Buys: points the shares pay if the option wins.' }),
    ),
  },
  { title: 'Quote' },
);

export const SettledMarketJson = Type.Object(
  {
    ...MarketJson.properties,
    settlement: Type.Object({
      paid_to_traders: Type.Integer(),
      lp_return: Type.Integer(),
      dust: Type.Integer(),
      reversed: Type.Optional(Type.Integer({ description: 'Unresolve: points taken back.' })),
    }),
  },
  { title: 'SettledMarket' },
);

export const LeaderboardJson = Type.Object(
  {
    guild_id: Type.String(),
    period: Type.Union([Type.Literal('all'), Type.Literal('month')]),
    data: Type.Array(
      Type.Object({
        rank: Type.Integer(),
        user_id: Type.String(),
        user_name: userName,
        balance: Type.Integer(),
        profit: Type.Integer({ description: 'Points won minus points lost in markets over the period.' }),
      }),
    ),
  },
  { title: 'Leaderboard' },
);

export const UserJson = Type.Object(
  {
    guild_id: Type.String(),
    user_id: Type.String(),
    user_name: userName,
    balance: Type.Integer(),
    positions: Type.Array(
      Type.Object({
        market_id: Type.Integer(),
        question: Type.String(),
        option_id: Type.Integer(),
        label: Type.String(),
        shares: Type.Number(),
        invested: Type.Integer(),
        value: Type.Integer({ description: 'What the holding is worth at the current price.' }),
      }),
    ),
    profit: Type.Integer({ description: 'Realized profit plus the value of open positions.' }),
    realized_profit: Type.Integer(),
  },
  { title: 'MarketUser' },
);

export const CoachCallsJson = Type.Object(
  {
    coach: Type.String(),
    coach_name: Type.String(),
    calls: Type.Array(
      Type.Object({
        plan_id: Type.Integer(),
        trading_date: Type.String(),
        market_id: nullable(Type.Integer()),
        status: nullable(Type.String({ description: "The market's status; null without a market." })),
        probability: nullableNumber("The market's current P(YES)."),
        probability_at_close: nullableNumber('P(YES) when trading stopped: the crowd confidence.'),
        resolution: nullable(Type.String({ description: "The winning option's label, or MKT." })),
      }),
    ),
    scoreboard: Type.Object({
      calls: Type.Integer({ description: 'Plans in the range.' }),
      resolved: Type.Integer(),
      hits: Type.Number(),
      hit_rate: nullableNumber('Hits / resolved.'),
      average_probability: nullableNumber("The crowd's mean P(YES) at close."),
      brier_score: nullableNumber('Mean of (P(YES) − outcome)²; lower is better.'),
    }),
  },
  { title: 'CoachCalls' },
);

export const BalanceJson = Type.Object(
  { guild_id: Type.String(), user_id: Type.String(), balance: Type.Integer() },
  { title: 'Balance' },
);
