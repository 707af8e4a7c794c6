import type { CoachCalls, Market } from './market-types';

// Response bodies in the API's shapes (apps/api/src/schemas/market-schemas.ts), for component tests.

export const cpmmMarket: Market = {
  id: 7,
  guild_id: '900000000000000001',
  question: "Will Coach D's plan for 2026-11-20 work out?",
  description: null,
  mechanism: 'cpmm',
  status: 'open',
  created_at: '2026-11-20T13:00:00Z',
  closes_at: '2026-11-20T21:00:00Z',
  options: [
    { id: 0, label: 'Yes', probability: 0.6234, pool: null, odds: null },
    { id: 1, label: 'No', probability: 0.3766, pool: null, odds: null },
  ],
  volume: 12500,
  bettors: 14,
  resolution: null,
  plan_id: 42,
  coach_id: 'd',
  creator_id: '111',
  subsidy: 100,
  settled_at: null,
};

export const poolMarket: Market = {
  id: 8,
  guild_id: '900000000000000001',
  question: 'Where does SPY close on Friday?',
  description: null,
  mechanism: 'pool',
  status: 'resolved',
  created_at: '2026-11-17T13:00:00Z',
  closes_at: '2026-11-18T21:00:00Z',
  options: [
    { id: 0, label: 'Above 600', probability: null, pool: 300, odds: 4 / 3 },
    { id: 1, label: '590 to 600', probability: null, pool: 100, odds: 4 },
    { id: 2, label: 'Below 590', probability: null, pool: 0, odds: null },
  ],
  volume: 400,
  bettors: 1,
  resolution: { outcome: 0, label: 'Above 600', probability: null },
  plan_id: null,
  coach_id: null,
  creator_id: '111',
  subsidy: 0,
  settled_at: '2026-11-18T21:05:00Z',
};

const call = (plan_id: number, trading_date: string, probability_at_close: number | null) => ({
  plan_id,
  trading_date,
  market_id: plan_id + 100,
  status: probability_at_close === null ? ('open' as const) : ('resolved' as const),
  probability: probability_at_close ?? 0.5,
  probability_at_close,
  resolution: probability_at_close === null ? null : probability_at_close > 0.5 ? 'Yes' : 'No',
});

export const coachCalls: CoachCalls = {
  coach: 'd',
  coach_name: 'Coach D',
  calls: [call(3, '2026-11-18', 0.7), call(1, '2026-11-16', 0.4), call(2, '2026-11-17', null)],
  scoreboard: {
    calls: 3,
    resolved: 2,
    hits: 1,
    hit_rate: 0.5,
    average_probability: 0.55,
    brier_score: 0.125,
  },
};
