import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Coachwire, openCoachwire } from '@coachwire/runtime';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../test-support/market-harness.js';
import { mockModeConfig } from '../test-support/mock-config.js';
import { type MockBotHandle, startMockBot } from './start-mock-bot.js';

// Tuesday 2026-11-24, 10:00 in New York: a trading day with the close ahead.
const clock = new ManualClock(Date.parse('2026-11-24T15:00:00Z'));
let dir: string | undefined;
let coachwire: Coachwire | undefined;
let bot: MockBotHandle | undefined;

afterEach(async () => {
  await bot?.stop();
  await coachwire?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  bot = coachwire = dir = undefined;
});

describe('mock mode after a restart', { timeout: 120_000 }, () => {
  it("posts the open markets' messages again in the new (empty) emulator, and the crowd bets through them", async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'coachwire-mock-restart-'));
    const config = mockModeConfig(dir, {
      mock: { simulate_posts: false },
      markets: { embed_update_seconds: 0.05, sweep_seconds: 3600 },
    });
    const logged: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void logged.push(line) });
    coachwire = await openCoachwire(config, { logger, clock });
    bot = await startMockBot({ config, coachwire });
    expect((await bot.crowd.simulateOnce()).created).toBe(1);
    const guildId = bot.mock.guild.id;
    const open = (await bot.context.marketQueries.list({ guildId, status: 'open', limit: 100 })).items;
    expect(open.length).toBeGreaterThan(1);
    await bot.stop();

    // The same database, a new emulator: as `pnpm start` run a second time.
    clock.advance(60_000);
    logged.length = 0;
    bot = await startMockBot({ config, coachwire });
    // The messages are posted again before the backlog's plans edit them: no edit finds one missing.
    expect(logged.filter((line) => line.includes('no longer updated'))).toEqual([]);
    expect(logged.some((line) => line.includes('the emulator restarted empty'))).toBe(true);
    const board = bot.mock.emu.messagesIn(bot.mock.channel.id);
    const messageIds = new Set(board.map((message) => String(message.id)));
    for (const { market } of open) {
      const link = await coachwire.repositories.marketMessages.linkOf(market.id);
      expect(link, `market ${market.id} has a message`).not.toBeNull();
      expect(messageIds.has(link!.messageId), `market ${market.id}'s message is in the new emulator`).toBe(
        true,
      );
    }
    const step = await bot.crowd.simulateOnce();
    expect(step.bets).toBeGreaterThan(0);
  });
});
