import type { Clock } from '@coachwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotHarness, replyText, startHarness } from '../test-support/bot-harness.js';
import { click, createMarket, quoteBet, runSlash } from '../test-support/market-harness.js';

// Discord drops an interaction not answered within 3 s. The emulator's interaction clock here moves 3 s on
// every reading of the bot's clock while `slow` is set: whatever the bot does after it first looks at the
// time is "too late" unless the interaction was acknowledged before.

let discordNow = 0;
let slow = false;
const clock: Clock = {
  now: () => {
    if (slow) discordNow += 3_001;
    return Date.now();
  },
};

let h: BotHarness;
beforeAll(async () => {
  h = await startHarness({ clock, emulator: { interactionClock: () => discordNow } });
});
afterAll(async () => {
  await h?.close();
});

describe("Discord's 3-second answer window", () => {
  it('acknowledges Confirm before the trade, so a slow database still shows the member the result', async () => {
    await runSlash(h, h.users.other, 'points', 'daily');
    const { marketId, message } = await createMarket(h, h.users.coach, { question: 'Will SPY close green?' });
    const { quoteMessageId, confirmId } = await quoteBet(
      h,
      h.users.other,
      String(message.id),
      marketId,
      0,
      '50',
    );
    slow = true;
    const placed = await click(h, h.users.other, quoteMessageId, confirmId!).finally(() => {
      slow = false;
    });
    expect(replyText(placed.body)).toContain('✅ Bet placed: 50 pts');
    expect(h.emu.interactionResponses(placed.interactionId)[0]).toMatchObject({
      kind: 'callback',
      callbackType: 6,
    });
    const positions = await h.coachwire.services.markets.positions(marketId, h.users.other.id);
    expect(positions).toHaveLength(1);
  });
});
