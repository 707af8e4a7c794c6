import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotHarness, startHarness } from '../test-support/bot-harness.js';

// The notes after a reply (charts that could not be archived) go out as one message of at most 2000 characters.

let h: BotHarness;
beforeAll(async () => {
  h = await startHarness({ archiveCharts: true, config: { discord: { max_chart_attachments: 10 } } });
});
afterAll(async () => {
  await h?.close();
});

describe('notes after a reply', () => {
  it('sends the notes on ten refused charts with long names within 2000 characters', async () => {
    const fakes = Array.from({ length: 10 }, (_, index) => ({
      filename: `${index}-${'Screenshot_2026-11-27-09-31-22_com.tradingview.android_'.repeat(4)}.png`,
      contentType: 'image/png',
      data: Buffer.from('<html>not a png</html>'),
    }));
    const { message } = await h.send(h.users.coach, '!plan i: plan with ten fake charts', fakes);
    const note = await h.emu.waitForCall(
      (call) =>
        call.route === 'POST /channels/:channelId/messages' &&
        (call.body as { message_reference?: { message_id?: string } }).message_reference?.message_id ===
          String(message.id) &&
        (call.body as { content?: string }).content?.includes('was not archived') === true,
    );
    expect(note.status).toBe(200);
    const content = (note.body as { content: string }).content;
    expect(content.length).toBeLessThanOrEqual(2000);
    expect(content).toMatch(/^⚠️ Chart `0-Screenshot.*\n… and \d+ more$/s);
  });
});
