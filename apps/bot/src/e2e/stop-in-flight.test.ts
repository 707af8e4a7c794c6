import type { Plan } from '@coachwire/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type BotHandle, startBot } from '../start-bot.js';
import { type BotHarness, type HarnessOptions, startHarness } from '../test-support/bot-harness.js';

let h: BotHarness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

/**
 * The harness's emulator and database with a bot whose plan-saved hook (chart archiving in production) waits
 * for `gate`: a command in flight for as long as the test wants. `entered` resolves once a post is in the hook.
 */
async function botWithSlowArchiving(options: HarnessOptions, gate: Promise<void>) {
  h = await startHarness({ emulator: { port: 48232 }, ...options });
  await h.bot.stop();
  let entered!: () => void;
  const inHook = new Promise<void>((resolve) => {
    entered = resolve;
  });
  const bot: BotHandle = await startBot({
    config: h.config,
    coachwire: h.coachwire,
    restApi: h.emu.restUrl,
    onPlanSaved: async (_plan: Plan) => {
      entered();
      await gate;
      return ['📎 charts archived'];
    },
  });
  return { harness: h, bot, inHook };
}

describe('stopping the bot while commands are in flight', () => {
  it('stops after its grace period when a command never finishes, marked stopped for /health', async () => {
    const never = new Promise<void>(() => {});
    const { harness, bot, inHook } = await botWithSlowArchiving(
      { config: { api: { shutdown_timeout_seconds: 0.2 } } },
      never,
    );
    await harness.emu.sendMessage({
      channelId: harness.channel.id,
      authorId: harness.users.coach.id,
      content: '!plan d: its charts never finish',
    });
    await inHook;
    await bot.stop();
    const status = await harness.statusStore.read();
    expect(status?.state).toBe('stopped');
    expect(status?.connected).toBe(false);
  });
});
