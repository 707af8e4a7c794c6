import type { Plan } from '@coachwire/core';
import { afterEach, describe, expect, it } from 'vitest';
import { STOPPING_EDIT_TEXT, STOPPING_TEXT } from '../events/refuse-while-stopping.js';
import { type BotHandle, startBot } from '../start-bot.js';
import {
  type BotHarness,
  type HarnessOptions,
  isEphemeral,
  type ReplyBody,
  replyText,
  startHarness,
  waitForInteractionReply,
  waitForMessageReply,
} from '../test-support/bot-harness.js';

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
  h = await startHarness(options);
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
  it('finishes the command in flight, and answers commands and plan edits arriving meanwhile that nothing was done', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { harness, bot, inHook } = await botWithSlowArchiving({}, gate);
    const { emu, channel, users } = harness;
    const posted = await emu.sendMessage({
      channelId: channel.id,
      authorId: users.coach.id,
      content: '!plan d: posted before the stop',
    });
    const postReply = waitForMessageReply(emu, String(posted.id));
    await inHook;

    const stopped = bot.stop();
    const late = await emu.sendMessage({
      channelId: channel.id,
      authorId: users.other.id,
      content: '!plan i: posted while stopping',
    });
    const lateReply = await waitForMessageReply(emu, String(late.id));
    expect((lateReply.body as ReplyBody).content).toBe(STOPPING_TEXT);
    const { token } = await emu.invokeSlashCommand({
      guildId: harness.guild.id,
      channelId: channel.id,
      userId: users.other.id,
      commandName: 'plan',
      options: [{ type: 1, name: 'list', options: [] }],
    });
    const slashReply = (await waitForInteractionReply(emu, token)).body as ReplyBody;
    expect(replyText(slashReply)).toContain(STOPPING_TEXT);
    expect(isEphemeral(slashReply)).toBe(true);

    // An edit of the plan's message cannot wait for the restart either: Discord sends it once.
    await emu.editMessage(channel.id, String(posted.id), '!plan d: edited while stopping');
    await emu.waitForCall(
      (call) =>
        call.route === 'POST /channels/:channelId/messages' &&
        (call.body as ReplyBody).content === STOPPING_EDIT_TEXT &&
        (call.body as ReplyBody).message_reference?.message_id === String(posted.id),
    );

    release();
    await stopped;
    // The post in flight was answered, its notes too, and only it was saved.
    expect(replyText((await postReply).body as ReplyBody)).toContain('posted before the stop');
    const notes = emu.messagesIn(channel.id).filter((message) => message.content === '📎 charts archived');
    expect(notes).toHaveLength(1);
    const plans = await harness.coachwire.services.plans.listDate();
    expect(plans.map((plan) => plan.text)).toEqual(['posted before the stop']);
    expect((await harness.statusStore.read())?.state).toBe('stopped');
  });

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
