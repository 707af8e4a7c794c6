import { describe, expect, it } from 'vitest';
import { EventLogPruner } from './event-log-pruner.js';

describe('EventLogPruner', () => {
  it('reports a failed run and tries again on the next one, never two at once', async () => {
    const outcomes: unknown[] = [];
    let calls = 0;
    const pruner = new EventLogPruner(
      async () => {
        calls++;
        if (calls === 1) throw new Error('database is locked');
        return 7;
      },
      () => new Date(),
      (outcome) => outcomes.push(outcome),
    );
    await pruner.runOnce();
    await Promise.all([pruner.runOnce(), pruner.runOnce()]);
    expect(calls).toBe(2);
    expect(outcomes).toStrictEqual([{ error: new Error('database is locked') }, { deleted: 7 }]);
    await pruner.stop();
  });
});
