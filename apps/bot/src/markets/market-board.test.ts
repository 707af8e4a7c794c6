import type { Logger } from '@coachwire/config';
import {
  type MarketQueries,
  type MarketService,
  type PlanService,
  StorageUnavailableError,
} from '@coachwire/core';
import type { MarketMessagePort } from '@coachwire/storage';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MarketBoard } from './market-board.js';

const EDIT_INTERVAL_MS = 5_000;

/** A board whose markets have no message (each edit ends at the missing link), counting the look-ups. */
function boardWithoutMessages() {
  const linkOf = vi.fn(async () => null);
  const board = new MarketBoard({
    store: { linkOf } as unknown as MarketMessagePort,
    queries: {} as MarketQueries,
    markets: {} as MarketService,
    plans: {} as PlanService,
    logger: {} as Logger,
    clock: { now: () => Date.now() },
    editIntervalMs: EDIT_INTERVAL_MS,
  });
  return { board, linkOf };
}

describe('the market board', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('coalesces the changes within the interval after an edit into one trailing edit', async () => {
    const { board, linkOf } = boardWithoutMessages();
    board.touch(1);
    await vi.advanceTimersByTimeAsync(0);
    board.touch(1);
    board.touch(1);
    await vi.advanceTimersByTimeAsync(EDIT_INTERVAL_MS - 1);
    expect(linkOf).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(linkOf).toHaveBeenCalledTimes(2);
  });

  it('forgets the edit times of markets not edited within the interval', async () => {
    const { board } = boardWithoutMessages();
    for (let marketId = 1; marketId <= 50; marketId++) board.touch(marketId);
    await vi.advanceTimersByTimeAsync(0);
    expect(board.rememberedEdits).toBe(50);
    await vi.advanceTimersByTimeAsync(EDIT_INTERVAL_MS);
    board.touch(51);
    await vi.advanceTimersByTimeAsync(0);
    expect(board.rememberedEdits).toBe(1);
  });

  it('logs an edit whose market the database cannot read, and still runs the edits queued behind it', async () => {
    // A PostgreSQL restart failed the look-up; the rejection went unhandled from the timer and every edit
    // chained behind it was skipped, so the market message kept its old price.
    const linkOf = vi
      .fn<MarketMessagePort['linkOf']>()
      .mockRejectedValueOnce(new StorageUnavailableError('Cannot read the PostgreSQL database'))
      .mockResolvedValue(null);
    const warn = vi.fn();
    const board = new MarketBoard({
      store: { linkOf } as unknown as MarketMessagePort,
      queries: {} as MarketQueries,
      markets: {} as MarketService,
      plans: {} as PlanService,
      logger: { warn } as unknown as Logger,
      clock: { now: () => Date.now() },
      editIntervalMs: EDIT_INTERVAL_MS,
    });
    const first = board.refresh(1);
    const queued = board.refresh(1);
    await expect(first).resolves.toBeUndefined();
    await expect(queued).resolves.toBeUndefined();
    expect(linkOf).toHaveBeenCalledTimes(2);
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ marketId: 1 }),
      'could not update a market message',
    );
  });
});
