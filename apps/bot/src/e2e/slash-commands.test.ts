import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planCommandData, slashCommandData } from '../commands/registry.js';
import {
  attachmentOption,
  type BotHarness,
  isEphemeral,
  pngAttachment,
  replyText,
  startHarness,
  stringOption,
  waitForInteractionReply,
} from '../test-support/bot-harness.js';
import { runSlash } from '../test-support/market-harness.js';
import { registerCommands } from '../util/register-commands.js';

let h: BotHarness;

beforeAll(async () => {
  h = await startHarness({ config: { discord: { register_commands_on_start: true } } });
});

afterAll(async () => {
  await h?.close();
});

describe('slash commands through discord.js and the emulator', () => {
  it('registers /plan with its subcommands at start when configured', async () => {
    await h.emu.waitForCall((call) => call.route === 'PUT /applications/:applicationId/commands');
    const [command] = h.emu.registeredCommands();
    expect(command?.name).toBe('plan');
    const names = ((command?.options ?? []) as { name: string }[]).map((option) => option.name);
    expect(names).toEqual(['post', 'edit', 'delete', 'list', 'mine', 'history', 'show']);
  });

  it('registers for one guild with registerCommands (what deploy-commands runs)', async () => {
    const count = await registerCommands({
      token: h.emu.botToken,
      applicationId: h.emu.applicationId,
      guildId: h.guild.id,
      restApi: h.emu.restUrl,
    });
    expect(count).toBe(slashCommandData().length);
    expect(h.emu.registeredCommands({ guildId: h.guild.id })[0]?.name).toBe(planCommandData().name);
    expect(h.emu.registeredCommands({ guildId: h.guild.id }).map((command) => command.name)).toEqual(
      slashCommandData().map((command) => command.name),
    );
  });

  it('posts a plan with charts and a date, deferring before the write', async () => {
    const { body, interactionId } = await h.slash(h.users.coach, 'post', [
      stringOption('coach', 'd'),
      stringOption('text', 'Slash plan'),
      stringOption('date', '2026-03-02'),
      attachmentOption(h.emu, h.channel.id, 'chart1', pngAttachment('a.png')),
      attachmentOption(h.emu, h.channel.id, 'chart2', pngAttachment('b.png')),
    ]);
    const responses = h.emu.interactionResponses(interactionId);
    expect(responses[0]?.kind).toBe('callback');
    expect(responses[0]?.callbackType).toBe(5);
    expect(body.embeds?.[0]?.title).toBe('Coach D (Day Trading) · 2026-03-02');
    expect(isEphemeral(body)).toBe(false);
    const plan = await h.repository.getLive('d', '2026-03-02');
    expect(plan?.charts.map((chart) => chart.filename)).toEqual(['a.png', 'b.png']);
    expect(plan?.charts[0]?.url).toContain(h.emu.cdnBaseUrl);
  });

  it('opens a form when /plan post has no text, and posts what the form sends', async () => {
    const { body, interactionId } = await h.slash(h.users.coach, 'post', [
      stringOption('coach', 'i'),
      stringOption('date', '2026-03-03'),
    ]);
    expect(h.emu.interactionResponses(interactionId)[0]?.callbackType).toBe(9);
    const customId = body.data?.custom_id ?? '';
    const textInput = JSON.stringify(body.data?.components);
    expect(textInput).toContain('"style":2');
    expect(textInput).toContain('"max_length":4000');
    const submitted = await h.emu.submitModal({
      guildId: h.guild.id,
      channelId: h.channel.id,
      userId: h.users.coach.id,
      customId,
      fields: { text: 'A long plan\nwritten in the form' },
    });
    const reply = await waitForInteractionReply(h.emu, submitted.token);
    expect(replyText(reply.body as never)).toContain('A long plan');
    expect((await h.repository.getLive('i', '2026-03-03'))?.text).toBe('A long plan\nwritten in the form');
  });

  it('refuses a form sent by someone else or twice', async () => {
    const { body } = await h.slash(h.users.coach, 'post', [stringOption('coach', 's')]);
    const customId = body.data?.custom_id ?? '';
    const other = await h.emu.submitModal({
      guildId: h.guild.id,
      channelId: h.channel.id,
      userId: h.users.other.id,
      customId,
      fields: { text: 'hijack' },
    });
    const reply = await waitForInteractionReply(h.emu, other.token);
    expect(replyText(reply.body as never)).toContain('This form has expired');
    expect(isEphemeral(reply.body as never)).toBe(true);
  });

  it.each([
    ['an unknown coach', [stringOption('coach', 'zz'), stringOption('text', 'x')], "Invalid coach name 'zz'"],
    [
      'a bad date',
      [stringOption('coach', 'd'), stringOption('text', 'x'), stringOption('date', '2026-13-01')],
      "Invalid date '2026-13-01'",
    ],
    ['blank text', [stringOption('coach', 'd'), stringOption('text', '   ')], 'Plan text is empty'],
  ])('answers /plan post with %s privately, with the usage line', async (_name, options, message) => {
    const { body } = await h.slash(h.users.other, 'post', options);
    expect(isEphemeral(body)).toBe(true);
    expect(replyText(body)).toContain(message);
    expect(replyText(body)).toContain('Usage: `/plan post coach:<coach>');
  });

  it('ignores a non-image chart option with a note', async () => {
    const { body } = await h.slash(h.users.coach, 'post', [
      stringOption('coach', 'n'),
      stringOption('text', 'with a pdf'),
      stringOption('date', '2026-03-04'),
      attachmentOption(h.emu, h.channel.id, 'chart1', {
        filename: 'a.pdf',
        contentType: 'application/pdf',
        data: Buffer.from('%PDF'),
      }),
    ]);
    expect(replyText(body)).toContain('Ignored attachment `a.pdf`');
    expect((await h.repository.getLive('n', '2026-03-04'))?.charts).toEqual([]);
  });

  it("edits by plan id, and refuses another member's edit privately", async () => {
    const plan = await h.repository.getLive('d', '2026-03-02');
    const refused = await h.slash(h.users.other, 'edit', [
      stringOption('plan', String(plan!.id)),
      stringOption('text', 'nope'),
    ]);
    expect(isEphemeral(refused.body)).toBe(true);
    expect(replyText(refused.body)).toContain('Only its author or an admin can change it');
    const edited = await h.slash(h.users.coach, 'edit', [
      stringOption('plan', `#${plan!.id}`),
      stringOption('text', 'edited by slash'),
    ]);
    expect(replyText(edited.body)).toContain('(edited)');
    expect((await h.repository.getById(plan!.id))?.text).toBe('edited by slash');
  });

  it('lets a member with Manage Messages edit by coach and date', async () => {
    const { body } = await h.slash(h.users.moderator, 'edit', [
      stringOption('coach', 'd'),
      stringOption('date', '2026-03-02'),
      stringOption('text', 'moderated'),
    ]);
    expect(replyText(body)).toContain('Updated Coach D');
  });

  it('shows a plan and its history', async () => {
    const plan = await h.repository.getLive('d', '2026-03-02');
    const shown = await h.slash(h.users.other, 'show', [stringOption('plan', String(plan!.id))]);
    expect(shown.body.embeds?.[0]?.description).toBe('moderated');
    expect(shown.body.embeds?.[0]?.image?.url).toBe(plan!.charts[0]?.url);
    const history = await h.slash(h.users.other, 'history', [
      stringOption('coach', 'd'),
      stringOption('date', '2026-03-02'),
    ]);
    expect(replyText(history.body)).toContain('Before: edited by slash');
    expect(replyText(history.body)).toContain('Before: Slash plan');
  });

  it('lists a date publicly and the member own plans privately', async () => {
    const list = await h.slash(h.users.other, 'list', [stringOption('date', '2026-03-02')]);
    expect(list.body.embeds?.[0]?.description).toContain('Coach D (Day Trading)');
    const mine = await h.slash(h.users.coach, 'mine', []);
    expect(isEphemeral(mine.body)).toBe(true);
    expect(mine.body.embeds?.[0]?.description).toContain('A long plan');
  });

  it('answers a missing or unknown plan id privately with the usage line', async () => {
    const missing = await h.slash(h.users.coach, 'delete', [stringOption('plan', '987654')]);
    expect(isEphemeral(missing.body)).toBe(true);
    expect(replyText(missing.body)).toContain('No plan with id 987654');
    expect(replyText(missing.body)).toContain('Usage: `/plan delete plan:<id>');
    const unnamed = await h.slash(h.users.coach, 'show', []);
    expect(replyText(unnamed.body)).toContain('Name the plan');
    // Named two ways at once: which plan is meant is not clear, so nothing is changed.
    const plan = await h.repository.getLive('n', '2026-03-04');
    const both = await h.slash(h.users.coach, 'edit', [
      stringOption('plan', String(plan!.id)),
      stringOption('coach', 's'),
      stringOption('text', 'which one?'),
    ]);
    expect(replyText(both.body)).toContain('Name the plan one way: plan:<id> alone, or coach:<coach>');
    expect(replyText(both.body)).toContain('Usage: `/plan edit');
    expect((await h.repository.getById(plan!.id))?.text).toBe(plan!.text);
  });

  it('answers a command it does not have (left from an older registration) instead of leaving it unanswered', async () => {
    const { body } = await runSlash(h, h.users.coach, 'nosuch', null);
    expect(isEphemeral(body)).toBe(true);
    expect(replyText(body)).toContain('Unknown command /nosuch.');
    expect(replyText(body)).toContain('`/plan`, `/market`, `/points`, `/portfolio`, `/coach`');
  });

  it('deletes by plan id', async () => {
    const plan = await h.repository.getLive('n', '2026-03-04');
    const { body } = await h.slash(h.users.coach, 'delete', [stringOption('plan', String(plan!.id))]);
    expect(replyText(body)).toContain('Deleted Coach N');
    expect(await h.repository.getLive('n', '2026-03-04')).toBeNull();
  });

  it('autocompletes coaches by id or name', async () => {
    const { token } = await h.emu.invokeAutocomplete({
      guildId: h.guild.id,
      channelId: h.channel.id,
      userId: h.users.coach.id,
      commandName: 'plan',
      options: [{ type: 1, name: 'post', options: [stringOption('coach', 'swi', true)] }],
    });
    const reply = await waitForInteractionReply(h.emu, token);
    const choices = (reply.body as { data: { choices: { name: string; value: string }[] } }).data.choices;
    expect(choices).toEqual([{ name: 'Coach S (Swing) (s)', value: 's' }]);
  });

  it("autocompletes plan ids with the member's own recent plans only", async () => {
    const { token } = await h.emu.invokeAutocomplete({
      guildId: h.guild.id,
      channelId: h.channel.id,
      userId: h.users.coach.id,
      commandName: 'plan',
      options: [{ type: 1, name: 'edit', options: [stringOption('plan', '', true)] }],
    });
    const reply = await waitForInteractionReply(h.emu, token);
    const choices = (reply.body as { data: { choices: { name: string; value: string }[] } }).data.choices;
    const own = (await h.bot.context.service.list({ authorId: h.users.coach.id })).items.map((plan) =>
      String(plan.id),
    );
    expect(choices.map((choice) => choice.value).sort()).toEqual(own.sort());
    expect(choices.length).toBeGreaterThan(0);
    expect(choices[0]?.name).toMatch(/^#\d+ · Coach/);
  });
});
