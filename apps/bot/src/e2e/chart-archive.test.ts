import { readFileSync } from 'node:fs';
import { FsChartStore } from '@coachwire/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  attachmentOption,
  type BotHarness,
  pngAttachment,
  startHarness,
  stringOption,
} from '../test-support/bot-harness.js';

let h: BotHarness;
beforeAll(async () => {
  h = await startHarness({ archiveCharts: true });
});
afterAll(async () => {
  await h?.close();
});

const attachmentId = (url: string) => url.split('/').at(-2)!;

describe('chart archiving through the emulator CDN', () => {
  it('archives a posted chart byte for byte, after the reply', async () => {
    const chart = pngAttachment('levels.png', 120, 80);
    const { message } = await h.send(h.users.coach, '!plan d: SPY levels with a chart', [chart]);
    await h.bot.chartArchiving!.archiver.idle();
    const plan = await h.repository.getBySourceMessageId(String(message.id));
    const [record] = await h.coachwire.repositories.charts.ofPlan(plan!.id);
    expect(record).toMatchObject({
      archiveStatus: 'archived',
      contentType: 'image/png',
      size: chart.data.length,
    });
    const stored = readFileSync(new FsChartStore(h.config.charts.dir).pathOf(record!.sha256!));
    const original = h.emu.attachmentBytes(h.channel.id, attachmentId(record!.url));
    expect(stored.equals(original!)).toBe(true);
    expect(stored.equals(chart.data)).toBe(true);
    const stats = (await h.repository.getById(plan!.id))!.charts[0]!;
    expect(stats).toMatchObject({ width: 120, height: 80, archiveStatus: 'archived' });
  });

  it('refuses a file that claims to be a PNG but is not, with a note after the reply', async () => {
    const fake = {
      filename: 'chart.png',
      contentType: 'image/png',
      data: Buffer.from('<html>not a png</html>'),
    };
    const { message, body } = await h.send(h.users.coach, '!plan i: plan with a fake chart', [fake]);
    expect(body.content ?? '').not.toContain('was not archived');
    const note = await h.emu.waitForCall(
      (call) =>
        call.route === 'POST /channels/:channelId/messages' &&
        (call.body as { content?: string }).content?.includes('was not archived') === true,
    );
    expect((note.body as { content: string }).content).toContain(
      '`chart.png` was not archived: the file is not a png',
    );
    const plan = await h.repository.getBySourceMessageId(String(message.id));
    expect(plan?.text).toBe('plan with a fake chart');
    expect((await h.coachwire.repositories.charts.ofPlan(plan!.id))[0]?.archiveStatus).toBe('failed');
  });

  it('archives a chart attached to /plan post and notes refusals privately', async () => {
    const good = attachmentOption(h.emu, h.channel.id, 'chart1', pngAttachment('a.png'));
    const { token } = await h.slash(h.users.coach, 'post', [
      stringOption('coach', 's'),
      stringOption('text', 'swing plan'),
      good,
    ]);
    await h.bot.chartArchiving!.archiver.idle();
    const plan = (await h.repository.list({ coach: 's', limit: 1 }))[0]!;
    expect(plan.charts[0]?.archiveStatus).toBe('archived');
    expect(
      h.emu.calls.some(
        (call) => call.path.includes(token) && call.route === 'POST /webhooks/:applicationId/:token',
      ),
    ).toBe(false);
  });
});
