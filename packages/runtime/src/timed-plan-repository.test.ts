import { InMemoryPlanRepository } from '@coachwire/core';
import { describe, expect, it } from 'vitest';
import { TimedPlanRepository } from './timed-plan-repository.js';

const eventLog = { eventsAfter: async () => [], latestEventId: async () => 7 };

describe('TimedPlanRepository', () => {
  it('reports a call slower than the threshold with its name, and passes results through', async () => {
    const reported: string[] = [];
    const inner = Object.assign(new InMemoryPlanRepository(), eventLog);
    // A negative threshold makes every call "slow" without sleeping.
    const timed = new TimedPlanRepository(
      inner,
      (call, durationMs) => reported.push(`${call}:${durationMs >= 0}`),
      -1,
    );
    expect(await timed.latestEventId()).toBe(7);
    expect(await timed.getLive('d', '2026-11-20')).toBeNull();
    expect(reported).toStrictEqual(['latestEventId:true', 'getLive:true']);
  });

  it('stays quiet for calls under the threshold and still reports failing calls', async () => {
    const reported: string[] = [];
    const inner = Object.assign(new InMemoryPlanRepository(), eventLog, {
      stats: async () => {
        throw new Error('boom');
      },
    });
    const quiet = new TimedPlanRepository(inner, (call) => reported.push(call), 60_000);
    await quiet.list({ limit: 5 });
    expect(reported).toStrictEqual([]);
    const loud = new TimedPlanRepository(inner, (call) => reported.push(call), -1);
    await expect(loud.stats()).rejects.toThrow('boom');
    expect(reported).toStrictEqual(['stats']);
  });
});
