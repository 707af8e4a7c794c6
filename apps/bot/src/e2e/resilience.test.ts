import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BotHarness,
  isEphemeral,
  replyText,
  startHarness,
  stringOption,
} from '../test-support/bot-harness.js';

let h: BotHarness;

beforeAll(async () => {
  h = await startHarness({
    config: {
      rate_limits: {
        bot_per_user: { max: 3, window_seconds: 600 },
        bot_per_guild: { max: 1000, window_seconds: 600 },
      },
    },
  });
});

afterAll(async () => {
  await h?.close();
});

describe('the bot under load, faults and restarts', () => {
  it('writes a connected heartbeat row with the guild count', async () => {
    const status = await h.statusStore.read();
    expect(status?.connected).toBe(true);
    expect(status?.guilds).toBe(1);
    expect(status?.mock).toBe(false);
  });

  it('answers the command after the limit with the time to wait, prefix and slash alike', async () => {
    for (let n = 0; n < 3; n++) expect((await h.send(h.users.other, '!help')).body.embeds?.length).toBe(1);
    const limited = await h.send(h.users.other, '!help');
    expect(limited.body.content).toMatch(/sending commands too fast\. Try again in \d+ s\./);
    const slash = await h.slash(h.users.other, 'list', []);
    expect(isEphemeral(slash.body)).toBe(true);
    expect(replyText(slash.body)).toMatch(/Try again in \d+ s\./);
  });

  it('never limits admins', async () => {
    for (let n = 0; n < 5; n++) {
      const { body } = await h.send(h.users.moderator, '!help');
      expect(body.embeds?.[0]?.title).toBe('Coachwire commands');
    }
  });

  it('keeps answering after the gateway connection drops and resumes', async () => {
    const resumes = h.emu.resumeCount;
    h.emu.dropConnection({ resumable: true });
    await h.emu.waitForResume(resumes + 1);
    const { body } = await h.send(h.users.coach, '!plan d: after the resume');
    expect(body.embeds?.[0]?.description).toBe('after the resume');
  });

  it('keeps answering after a non-resumable drop (new session)', async () => {
    const identifies = h.emu.identifyCount;
    h.emu.dropConnection({ resumable: false });
    await h.emu.waitForIdentify(identifies + 1);
    const { body } = await h.send(h.users.coach, '!plan i: after a new session');
    expect(body.embeds?.[0]?.description).toBe('after a new session');
  });

  it('waits out a 429 from Discord and still delivers the reply', async () => {
    h.emu.rateLimitNext(1, { retryAfterSeconds: 0.2, route: 'POST /channels/:channelId/messages' });
    const { reply } = await h.send(h.users.restrictedCoach, '!plan r: despite the 429');
    expect(reply.status).toBe(200);
    const limited = h.emu.calls.filter(
      (call) => call.route === 'POST /channels/:channelId/messages' && call.status === 429,
    );
    expect(limited.length).toBe(1);
    expect(
      (limited[0]?.body as { message_reference?: { message_id?: string } } | undefined)?.message_reference
        ?.message_id,
    ).toBe((reply.body as { message_reference?: { message_id?: string } }).message_reference?.message_id);
  });

  it('defers a slash command before its reply even when the reply is rate limited', async () => {
    h.emu.rateLimitNext(1, {
      retryAfterSeconds: 0.2,
      route: 'PATCH /webhooks/:applicationId/:token/messages/@original',
    });
    const { body } = await h.slash(h.users.roleAdmin, 'post', [
      stringOption('coach', 'n'),
      stringOption('text', 'slow reply'),
    ]);
    expect(replyText(body)).toContain('slow reply');
  });

  it('writes a disconnected heartbeat when stopped', async () => {
    await h.bot.stop();
    expect((await h.statusStore.read())?.connected).toBe(false);
  });
});
