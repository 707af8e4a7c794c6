import { describe, expect, it } from 'vitest';
import { DEFAULT_COACHES } from '../plans/coaches.js';
import { InMemoryPlanRepository } from '../plans/in-memory-repository.js';
import { PlanService } from '../plans/plan-service.js';
import type { LedgerStore } from '../points/ledger-port.js';
import type { PointsService } from '../points/points-service.js';
import { addDays } from '../shared/dates.js';
import { callMarket } from '../test-support/call-market.js';
import { MAX_COACH_CALLS, MarketQueries } from './market-queries.js';
import type { MarketReadStore, MarketWithStats } from './market-read-port.js';

const timezone = 'America/New_York';
const clock = { now: () => Date.parse('2030-01-01T15:00:00Z') };

/** A resolved YES coach-call market on a plan, at P(YES) = 0.75. */
const resolvedCall = (id: number, planId: number): MarketWithStats => ({
  market: callMarket(id, 100, 300, { kind: 'option', option: 0 }, planId),
  stats: { volume: 0, bettors: 0 },
});

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
