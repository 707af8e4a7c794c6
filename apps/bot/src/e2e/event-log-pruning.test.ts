import { afterAll, describe, expect, it } from 'vitest';
import { type BotHarness, startHarness } from '../test-support/bot-harness.js';

let h: BotHarness | undefined;
afterAll(async () => {
  await h?.close();
});

describe('the event log of a bot running without the API', () => {
  it('is pruned as the bot starts, by count, keeping the newest a replay may need', async () => {
    h = await startHarness({
      config: { api: { event_replay_max: 2, event_log_max_events: 3, event_log_max_age_days: 365 } },
    });
    const harness = h;
    for (let edit = 1; edit <= 6; edit++)
      await harness.send(harness.users.coach, `!plan d: SPY levels, take ${edit}`);
    const events = () =>
      harness.database.sqlite.prepare('SELECT count(*) AS n, max(id) AS newest FROM events').get() as {
        n: number;
        newest: number;
      };
    const before = events();
    expect(before.n).toBeGreaterThan(3);
    await harness.restart();
    // Only the API pruned it: a bot on its own let it grow for good.
    await new Promise<void>((resolve) => {
      const poll = () => (events().n <= 3 ? resolve() : setImmediate(poll));
      poll();
    });
    expect(events()).toStrictEqual({ n: 3, newest: before.newest });
  });
});
