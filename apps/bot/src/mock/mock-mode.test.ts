import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CoachwireConfig } from '@coachwire/config';
import { isTradingDay, type PlanEvent } from '@coachwire/core';
import { openCoachwire } from '@coachwire/runtime';
import { type CoachwireDatabase, SqlitePlanRepository, sqliteDatabaseOf } from '@coachwire/storage';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockModeConfig } from '../test-support/mock-config.js';
import { type MockBotHandle, startMockBot } from './start-mock-bot.js';

let dir: string;
let config: CoachwireConfig;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'coachwire-mock-mode-'));
  config = mockModeConfig(dir, { mock: { simulate_posts: false } });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One mock-mode run, as `pnpm start` makes it, on the test's database file. */
async function mockRun(): Promise<{
  bot: MockBotHandle;
  database: CoachwireDatabase;
  stop(): Promise<void>;
}> {
  const coachwire = await openCoachwire(config, { logger: pino({ level: 'silent' }) });
  const bot = await startMockBot({ config, coachwire });
  return {
    bot,
    database: sqliteDatabaseOf(coachwire.store),
    stop: async () => {
      await bot.stop();
      await coachwire.close();
    },
  };
}

/** Every event written after `afterId`. */
async function eventsAfter(database: CoachwireDatabase, afterId: number): Promise<PlanEvent[]> {
  return new SqlitePlanRepository(database).eventsAfter(afterId, 1000);
}

describe('mock mode across restarts', { timeout: 120_000 }, () => {
  it('keeps posting on the second run over the same database', async () => {
    const first = await mockRun();
    const plansAfterFirst = (await first.bot.context.service.list({ limit: 100 })).items;
    await first.stop();
    expect(plansAfterFirst.length).toBeGreaterThan(0);

    const second = await mockRun();
    try {
      // The same simulated coaches (same Discord ids) may replace the plans they posted last time.
      const outcome = await second.bot.poster.simulateOnce();
      expect(outcome).toMatchObject({ saved: true });
      const again = await second.bot.poster.postBacklog();
      expect(again.refused).toBe(0);
      const coach = outcome!.coach;
      const plan = await second.bot.context.service.find(coach, outcome!.tradingDate);
      expect(plan?.author.id).toBe(second.bot.mock.coachUsers.get(coach)?.id);
      expect(plan?.editedAt).not.toBeNull();
    } finally {
      await second.stop();
    }
  });

  it('posts for an NYSE trading day, with charts on the plans of that day', async () => {
    const run = await mockRun();
    try {
      const planDate = run.bot.poster.planDate();
      expect(isTradingDay(planDate)).toBe(true);
      const plans = (await run.bot.context.service.list({ tradingDate: planDate, limit: 100 })).items;
      expect(plans).toHaveLength(run.bot.context.service.coaches.length);
      for (const plan of plans) expect(plan.charts.length).toBeGreaterThan(0);
    } finally {
      await run.stop();
    }
  });

  it('writes one event per simulated change, and at most one more when its charts move to stable URLs', async () => {
    const run = await mockRun();
    try {
      await run.bot.chartArchiving?.archiver.idle();
      const before = await new SqlitePlanRepository(run.database).latestEventId();
      const changedPlans: number[] = [];
      for (let step = 0; step < 4; step++) {
        const outcome = await run.bot.poster.simulateOnce();
        expect(outcome).toMatchObject({ saved: true });
        const plan = await run.bot.context.service.find(outcome!.coach, outcome!.tradingDate);
        changedPlans.push(plan!.id);
      }
      await run.bot.chartArchiving?.archiver.idle();
      const events = await eventsAfter(run.database, before);
      for (const planId of new Set(changedPlans)) {
        const ofPlan = events.filter((event) => event.planId === planId);
        const changes = ofPlan.filter((event) => event.occurredAt === event.payload.editedAt);
        const archives = ofPlan.filter((event) => event.occurredAt !== event.payload.editedAt);
        expect(changes).toHaveLength(changedPlans.filter((id) => id === planId).length);
        // However many charts a post carries, archiving them is one event (none if no URL changed).
        expect(archives.length).toBeLessThanOrEqual(1);
      }
      // The posts carried charts (every plan of the day has one), so some URLs did move.
      expect(events.some((event) => event.occurredAt !== event.payload.editedAt)).toBe(true);
    } finally {
      await run.stop();
    }
  });
});

describe('mock mode at start', { timeout: 120_000 }, () => {
  it("opens the simulated admin's markets at once, not one interval later", async () => {
    const startDir = mkdtempSync(path.join(os.tmpdir(), 'coachwire-mock-start-'));
    // An interval no test waits for: whatever is open comes from the first step.
    const startConfig = mockModeConfig(startDir, {
      mock: { simulate_posts: true, post_interval_seconds: 3600 },
    });
    const coachwire = await openCoachwire(startConfig, { logger: pino({ level: 'silent' }) });
    const bot = await startMockBot({ config: startConfig, coachwire });
    try {
      // Stopping the crowd waits for the step under way.
      await bot.crowd.stop();
      const open = await bot.context.marketQueries.list({
        guildId: bot.mock.guild.id,
        status: 'open',
        limit: 50,
      });
      const admins = open.items.filter((summary) => summary.market.planId === null);
      expect(admins.length).toBeGreaterThan(0);
    } finally {
      await bot.stop();
      await coachwire.close();
      rmSync(startDir, { recursive: true, force: true });
    }
  });
});
