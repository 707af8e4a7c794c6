import type { CoachCalls, Market } from './market-types';

// Response bodies in the shapes of issue 14, for component tests.

export const cpmmMarket: Market = {
  id: 7,
  guild_id: '900000000000000001',
  question: "Will Coach D's plan for 2026-11-20 work out?",
  mechanism: 'cpmm',
  status: 'open',
  closes_at: '2026-11-20T21:00:00Z',
  options: [
    { id: 71, label: 'Yes', probability: 0.6234, pool: null },
    { id: 72, label: 'No', probability: 0.3766, pool: null },
  ],
  volume: 12500,
  bettors: 14,
  resolution: null,
  plan_id: 42,
};

export const poolMarket: Market = {
  id: 8,
  guild_id: '900000000000000001',
  question: 'Where does SPY close on Friday?',
  mechanism: 'pool',
  status: 'resolved',
  closes_at: '2026-11-18T21:00:00Z',
  options: [
    { id: 81, label: 'Above 600', probability: null, pool: 300 },
    { id: 82, label: '590 to 600', probability: null, pool: 100 },
    { id: 83, label: 'Below 590', probability: null, pool: 0 },
  ],
  volume: 400,
  bettors: 1,
  resolution: 81,
  plan_id: null,
};

export const coachCalls: CoachCalls = {
  coach: 'd',
  calls: [
    { plan_id: 3, trading_date: '2026-11-18', market_id: 5, probability_at_close: 0.7, resolution: 'Yes' },
    { plan_id: 1, trading_date: '2026-11-16', market_id: 2, probability_at_close: 0.4, resolution: 'No' },
    { plan_id: 2, trading_date: '2026-11-17', market_id: 3, probability_at_close: null, resolution: null },
  ],
  scoreboard: { calls: 3, resolved: 2, hit_rate: 0.5, average_probability: 0.55, brier_score: 0.125 },
};
