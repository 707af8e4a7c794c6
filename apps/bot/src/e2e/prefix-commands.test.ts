import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BotHarness,
  isEphemeral,
  pngAttachment,
  replyText,
  startHarness,
} from '../test-support/bot-harness.js';

let h: BotHarness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

describe('prefix commands through discord.js and the emulator', () => {
  it('stores a plan posted with !plan and answers with an embed of it', async () => {
    const { body } = await h.send(h.users.coach, '!plan d: SPY long above 500\nstop 495');
    expect(body.embeds?.[0]?.title).toContain('Coach D (Day Trading)');
    expect(body.embeds?.[0]?.description).toBe('SPY long above 500\nstop 495');
    expect(replyText(body)).toMatch(/<t:\d+:R>/);
    const plan = await h.repository.getLive('d', h.bot.context.service.today());
    expect(plan?.text).toBe('SPY long above 500\nstop 495');
    expect(plan?.author.id).toBe(h.users.coach.id);
  });

  it('keeps the old `!plan i text` form without a colon', async () => {
    await h.send(h.users.coach, '!plan i QQQ fade 440');
    const plan = await h.repository.getLive('i', h.bot.context.service.today());
    expect(plan?.text).toBe('QQQ fade 440');
  });

  it('stores chart attachments with their CDN URLs and shows them as embed images', async () => {
    const { body, message } = await h.send(h.users.coach, '!plan s: swing list', [
      pngAttachment('one.png'),
      pngAttachment('two.png'),
    ]);
    const plan = await h.repository.getLive('s', h.bot.context.service.today());
    const attachments = message.attachments as { url: string; id: string }[];
    expect(plan?.charts.map((chart) => chart.url)).toEqual(attachments.map((a) => a.url));
    expect(plan?.charts[0]?.url).toContain(h.emu.cdnBaseUrl);
    expect(plan?.charts[0]?.discordAttachmentId).toBe(attachments[0]?.id);
    expect(body.embeds?.[0]?.image?.url).toBe(attachments[0]?.url);
    expect(body.embeds?.[1]?.image?.url).toBe(attachments[1]?.url);
    expect(body.embeds?.[1]?.url).toBe(body.embeds?.[0]?.url);
    expect(h.savedPlans.some((saved) => saved.id === plan?.id && saved.charts.length === 2)).toBe(true);
  });

  it('ignores a non-image attachment with a note and keeps the images', async () => {
    const { body } = await h.send(h.users.coach, '!plan n: CPI day', [
      pngAttachment('chart.png'),
      { filename: 'notes.pdf', contentType: 'application/pdf', data: Buffer.from('%PDF-1.4') },
    ]);
    expect(body.content).toContain('notes.pdf');
    const plan = await h.repository.getLive('n', h.bot.context.service.today());
    expect(plan?.charts.map((chart) => chart.filename)).toEqual(['chart.png']);
  });

  it('posts for the date given after the coach, as /plan post date: does', async () => {
    const { body } = await h.send(h.users.coach, '!plan s 2026-12-01: next week swing');
    expect(body.content).toContain("Saved Coach S (Swing)'s plan for 2026-12-01.");
    expect((await h.repository.getLive('s', '2026-12-01'))?.text).toBe('next week swing');
  });

  it('refuses more charts than allowed, with the usage line, and saves nothing', async () => {
    const files = [1, 2, 3, 4].map((n) => pngAttachment(`c${n}.png`));
    const before = await h.repository.getLive('d', '2020-01-02');
    const { body } = await h.send(h.users.other, '!plan d: too many', files);
    expect(body.content).toContain('Too many charts: 4; at most 3');
    expect(body.content).toContain('Usage: `!plan <coach> [YYYY-MM-DD]: <text>');
    expect(before).toBeNull();
  });

  it.each([
    [
      'an unknown coach',
      '!plan x: hello',
      "Invalid coach name 'x'. Valid coaches: d, i, s, n, r",
      '!plan <coach>',
    ],
    ['empty text', '!plan d:', 'Plan text is empty', '!plan <coach>'],
    ['text over 4000 characters', `!plan d: ${'a'.repeat(4001)}`, 'the limit is 4000', '!plan <coach>'],
    ['a bad date', '!plans 2026-02-30', "Invalid date '2026-02-30'", '!plans [YYYY-MM-DD]'],
    // Taken as text before, it replaced today's plan with "2026-02-30 text".
    [
      'a plan with an impossible date',
      '!plan d 2026-02-30 text',
      "Invalid date '2026-02-30'",
      '!plan <coach>',
    ],
    ['a plan id that does not exist', '!delete 999999', 'No plan with id 999999', '!delete <coach>'],
    ['a missing coach', '!history', 'Name the coach or plan id', '!history <coach>'],
  ])('answers %s with a clear message and the usage line', async (_name, content, message, usage) => {
    const { body } = await h.send(h.users.other, content);
    expect(body.content).toContain(message);
    expect(body.content).toContain(`Usage: \`${usage}`);
    expect(body.content).not.toMatch(/\n\s+at /);
  });

  it('refuses a coach restricted to a role the member lacks, and accepts a member with it', async () => {
    const refused = await h.send(h.users.other, '!plan r: restricted');
    expect(refused.body.content).toContain('Only members with a role allowed for Coach R');
    const accepted = await h.send(h.users.restrictedCoach, '!plan r: allowed');
    expect(accepted.body.embeds?.[0]?.title).toContain('Coach R');
  });

  it("refuses to edit or delete another member's plan", async () => {
    await h.send(h.users.coach, '!plan d: mine');
    const edit = await h.send(h.users.other, '!edit d not yours');
    expect(edit.body.content).toContain('Only its author or an admin can change it');
    expect(edit.body.content).toContain('Usage: `!edit');
    const del = await h.send(h.users.other, '!delete d');
    expect(del.body.content).toContain('Only its author or an admin can change it');
    expect((await h.repository.getLive('d', h.bot.context.service.today()))?.text).toBe('mine');
  });

  it('lets an admin by configured role and a member with Manage Messages edit any plan', async () => {
    await h.send(h.users.coach, '!plan d: original');
    const byRole = await h.send(h.users.roleAdmin, '!edit d fixed by admin');
    expect(byRole.body.content).toContain('Updated Coach D');
    const byPermission = await h.send(h.users.moderator, '!edit d fixed by moderator');
    expect(byPermission.body.content).toContain('Updated Coach D');
    const plan = await h.repository.getLive('d', h.bot.context.service.today());
    expect(plan?.text).toBe('fixed by moderator');
    expect((await h.repository.history(plan!.id)).map((r) => r.previousText).slice(0, 2)).toEqual([
      'fixed by admin',
      'original',
    ]);
  });

  it('edits by plan id and by coach and date, then shows the history', async () => {
    const today = h.bot.context.service.today();
    await h.send(h.users.coach, '!plan i: v1');
    const plan = await h.repository.getLive('i', today);
    await h.send(h.users.coach, `!edit ${plan!.id} v2`);
    await h.send(h.users.coach, `!edit i ${today} v3`);
    const { body } = await h.send(h.users.coach, `!history i ${today}`);
    expect(body.embeds?.[0]?.title).toContain(`History of Coach I (Intraday) · ${today}`);
    expect(replyText(body)).toContain('Before: v2');
    expect(replyText(body)).toContain('Before: v1');
  });

  it('deletes by coach and by plan id', async () => {
    const today = h.bot.context.service.today();
    await h.send(h.users.coach, '!plan n: to delete');
    const del = await h.send(h.users.coach, '!delete n');
    expect(del.body.content).toContain('Deleted Coach N');
    expect(await h.repository.getLive('n', today)).toBeNull();
    await h.send(h.users.coach, '!plan n: again');
    const plan = await h.repository.getLive('n', today);
    await h.send(h.users.coach, `!delete #${plan!.id}`);
    expect(await h.repository.getLive('n', today)).toBeNull();
  });

  it('lists the plans of a date and the member own plans', async () => {
    const today = h.bot.context.service.today();
    await h.send(h.users.restrictedCoach, '!plan r: ritas plan');
    const all = await h.send(h.users.other, `!plans ${today}`);
    expect(all.body.embeds?.[0]?.title).toBe(`Plans for ${today}`);
    expect(all.body.embeds?.[0]?.description).toContain('Coach S (Swing)');
    const empty = await h.send(h.users.other, '!plans 2001-01-02');
    expect(empty.body.embeds?.[0]?.description).toBe('No plans for 2001-01-02 yet.');
    const mine = await h.send(h.users.restrictedCoach, '!myplans');
    expect(mine.body.embeds?.[0]?.description).toContain('ritas plan');
    expect(mine.body.embeds?.[0]?.description).not.toContain('swing list');
  });

  it("counts a listed plan's charts as a plan's own embed does: 1 chart, 2 charts", async () => {
    await h.send(h.users.restrictedCoach, '!plan r: one chart', [pngAttachment()]);
    const one = await h.send(h.users.restrictedCoach, '!myplans');
    expect(one.body.embeds?.[0]?.description).toMatch(/ · 1 chart\none chart/);
    await h.send(h.users.restrictedCoach, '!plan r: two charts', [
      pngAttachment('a.png'),
      pngAttachment('b.png'),
    ]);
    const two = await h.send(h.users.restrictedCoach, '!myplans');
    expect(two.body.embeds?.[0]?.description).toMatch(/ · 2 charts\ntwo charts/);
  });

  it('answers !help with every command', async () => {
    const { body } = await h.send(h.users.other, '!help');
    const text = replyText(body);
    for (const command of ['!plan', '!edit', '!delete', '!plans', '!myplans', '!history'])
      expect(text).toContain(command);
    expect(isEphemeral(body)).toBe(false);
  });

  it('updates the plan when its message is edited in Discord, recording a revision', async () => {
    const { message } = await h.send(h.users.coach, '!plan i: before the edit');
    const planBefore = await h.repository.getBySourceMessageId(String(message.id));
    await h.emu.editMessage(h.channel.id, String(message.id), '!plan i: after the edit');
    const reply = await h.emu.waitForCall(
      (call) =>
        call.route === 'POST /channels/:channelId/messages' &&
        (call.body as { content?: string }).content?.includes('Your edit updated') === true,
    );
    expect((reply.body as { content: string }).content).toContain(`#${planBefore!.id}`);
    const plan = await h.repository.getById(planBefore!.id);
    expect(plan?.text).toBe('after the edit');
    expect((await h.repository.history(plan!.id))[0]?.previousText).toBe('before the edit');
  });

  it('says so when a plan message is edited into something that is no longer a plan command', async () => {
    const { message } = await h.send(h.users.coach, '!plan s: swing idea');
    await h.emu.editMessage(h.channel.id, String(message.id), 'never mind, see the thread');
    const reply = await h.emu.waitForCall(
      (call) =>
        call.route === 'POST /channels/:channelId/messages' &&
        (call.body as { content?: string }).content?.includes('no longer reads as a plan command') === true,
    );
    expect((reply.body as { content: string }).content).toContain('Usage: `!plan');
    expect((await h.repository.getBySourceMessageId(String(message.id)))?.text).toBe('swing idea');
  });

  it('refuses an edit that names another coach or no coach, leaving the plan as it was', async () => {
    const { message } = await h.send(h.users.coach, '!plan n: news plan');
    const plan = await h.repository.getBySourceMessageId(String(message.id));
    const editedTo = async (content: string, expected: string) => {
      await h.emu.editMessage(h.channel.id, String(message.id), content);
      const reply = await h.emu.waitForCall(
        (call) =>
          call.route === 'POST /channels/:channelId/messages' &&
          (call.body as { content?: string }).content?.includes(expected) === true,
      );
      expect((reply.body as { content: string }).content).toContain('Usage: `!plan');
    };
    // Only the text was read: the edit rewrote coach N's plan and never posted coach D's.
    await editedTo('!plan d: moved to coach D', 'an edit cannot move it to');
    await editedTo('!plan zz: no such coach', "'zz'");
    expect(await h.repository.getById(plan!.id)).toMatchObject({ coach: 'n', text: 'news plan' });
    expect(await h.repository.history(plan!.id)).toEqual([]);
  });

  it('ignores other bots, other prefixes and channels it is not configured for', async () => {
    const fromBot = await h.emu.sendMessage({
      channelId: h.channel.id,
      authorId: h.users.otherBot.id,
      content: '!help',
    });
    const elsewhere = await h.emu.sendMessage({
      channelId: h.ignoredChannel.id,
      authorId: h.users.other.id,
      content: '!help',
    });
    const otherPrefix = await h.emu.sendMessage({
      channelId: h.channel.id,
      authorId: h.users.other.id,
      content: '?help',
    });
    // A command sent afterwards is answered; replies come in order, so the ignored ones were not answered.
    await h.send(h.users.other, '!help');
    const answered = new Set(
      h.emu.calls
        .filter((call) => call.route === 'POST /channels/:channelId/messages')
        .map(
          (call) =>
            (call.body as { message_reference?: { message_id?: string } }).message_reference?.message_id,
        ),
    );
    for (const ignored of [fromBot, elsewhere, otherPrefix])
      expect(answered.has(String(ignored.id))).toBe(false);
  });
});
