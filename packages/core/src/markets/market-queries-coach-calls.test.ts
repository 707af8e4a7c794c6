import { describe, expect, it } from 'vitest';
import { DEFAULT_COACHES } from '../plans/coaches.js';
import { InMemoryPlanRepository } from '../plans/in-memory-repository.js';
import { PlanService } from '../plans/plan-service.js';
import type { LedgerStore } from '../points/ledger-port.js';
import type { PointsService } from '../points/points-service.js';
import { addDays } from '../shared/dates.js';
import { PROBABILITY_UNIT, SHARE_UNIT } from '../shared/fixed-point.js';
import { MAX_COACH_CALLS, MarketQueries } from './market-queries.js';
import type { MarketReadStore, MarketWithStats } from './market-read-port.js';
import type { Market } from './market-types.js';

const timezone = 'America/New_York';
const clock = { now: () => Date.parse('2030-01-01T15:00:00Z') };

/** A resolved YES coach-call market on a plan, at P(YES) = 0.75. */
function resolvedCall(id: number, planId: number): MarketWithStats {
  const market: Market = {
    id,
    guildId: 'g',
    question: 'q',
    description: null,
    mechanism: 'cpmm',
    options: [
      { index: 0, label: 'Yes', pool: 100 * SHARE_UNIT },
      { index: 1, label: 'No', pool: 300 * SHARE_UNIT },
    ],
    weight: PROBABILITY_UNIT / 2,
    subsidy: 100,
    subsidyPayer: 'house',
    creatorId: 'c',
    creatorName: 'c',
    planId,
    coachId: 'd',
    createdAt: '2026-01-01T00:00:00.000Z',
    closesAt: '2026-01-01T21:00:00.000Z',
    status: 'resolved',
    resolution: { kind: 'option', option: 0 },
    settledAt: '2026-01-01T22:00:00.000Z',
    settledBy: 'c',
    settlements: 1,
    escrow: 0,
  };
  return { market, stats: { volume: 0, bettors: 0 } };
}

describe("a coach's calls", () => {
  it('scores only the calls it lists when the coach has more plans than it shows', async () => {
    const plans = new PlanService({
      repository: new InMemoryPlanRepository(),
      coaches: DEFAULT_COACHES,
      timezone,
      clock,
    });
    const author = { id: '111', name: 'alice' };
    const ids: number[] = [];
    for (let day = 0; day < MAX_COACH_CALLS + 1; day++) {
      const { plan } = await plans.post(author, {
        coach: 'd',
        text: `plan ${day}`,
        tradingDate: addDays('2026-01-01', day),
      });
      ids.push(plan.id);
    }
    // Only the oldest plan, one past the newest MAX_COACH_CALLS the answer lists, has a resolved market.
    const oldest = ids[0]!;
    const reads = {
      marketsOfPlans: async (planIds: readonly number[]) =>
        planIds.includes(oldest) ? [resolvedCall(1, oldest)] : [],
    } as unknown as MarketReadStore;
    const queries = new MarketQueries({
      reads,
      ledger: {} as LedgerStore,
      plans,
      points: {} as PointsService,
      timezone,
      clock,
    });
    const calls = await queries.coachCalls('d');
    expect(calls.calls).toHaveLength(MAX_COACH_CALLS);
    expect(calls.calls.some((call) => call.market !== null)).toBe(false);
    expect(calls.scoreboard).toMatchObject({ callsResolved: 0, hits: 0, hitRate: null });
  });
});
