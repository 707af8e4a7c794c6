import { isWellFormedText } from '@coachwire/core';
import type { RecordedCall } from '@coachwire/discord-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BotHarness,
  pngAttachment,
  type ReplyBody,
  replyText,
  startHarness,
  stringOption,
} from '../test-support/bot-harness.js';
import {
  click,
  createMarket,
  integerOption,
  quoteBet,
  runSlash,
  userOption,
} from '../test-support/market-harness.js';

// The emulator refuses what Discord refuses (400 Invalid Form Body); these replies used to be refused there.

const LONG_NAME = `Coach L ${'(Long-Form Macro, Options and Futures Education) '.repeat(6)}`.trim();
const manyCoaches = Array.from({ length: 40 }, (_, index) => ({
  id: `c${index}`,
  name: `Coach number ${index} of the academy's extended mentoring programme`,
  role_ids: [],
  user_ids: [],
}));

let h: BotHarness;
beforeAll(async () => {
  h = await startHarness({
    config: {
      coaches: [{ id: 'l', name: LONG_NAME, role_ids: [], user_ids: [] }, ...manyCoaches],
    },
  });
});
afterAll(async () => {
  await h?.close();
});

/** The bot's reply call to a message, whatever Discord answered it. */
async function answerTo(content: string): Promise<RecordedCall> {
  const message = await h.emu.sendMessage({ channelId: h.channel.id, authorId: h.users.coach.id, content });
  return h.emu.waitForCall(
    (call) =>
      call.route === 'POST /channels/:channelId/messages' &&
      (call.body as ReplyBody | undefined)?.message_reference?.message_id === String(message.id),
  );
}

function embedLength(body: ReplyBody): number {
  return (body.embeds ?? []).reduce(
    (sum, embed) =>
      sum +
      (embed.title?.length ?? 0) +
      (embed.description?.length ?? 0) +
      (embed.fields ?? []).reduce((fields, field) => fields + field.name.length + field.value.length, 0),
    0,
  );
}

describe('replies that Discord would refuse for their size', () => {
  it('shows the history of a long plan edited many times within 6000 characters of embeds', async () => {
    const text = (n: number) =>
      `Edit ${n}: ${'SPY long above 5000, stop 4980, targets 5050/5100. '.repeat(80)}`.slice(0, 4000);
    const posted = await h.send(h.users.coach, `!plan l: ${text(0)}`, [pngAttachment()]);
    expect(posted.reply.status).toBe(200);
    // The coach's long name is cut to fit the title.
    const title = posted.body.embeds?.[0]?.title ?? '';
    expect(title.length).toBeLessThanOrEqual(256);
    expect(title).toMatch(/^Coach L \(Long-Form.*…$/);
    for (let n = 1; n <= 6; n++) expect((await answerTo(`!edit l ${text(n)}`)).status).toBe(200);
    const history = await answerTo('!history l');
    expect(history.status).toBe(200);
    const body = history.body as ReplyBody;
    expect(embedLength(body)).toBeLessThanOrEqual(6000);
    expect(body.embeds?.[0]?.fields).toHaveLength(6);
    expect(body.embeds?.[0]?.fields?.[0]?.value).toMatch(/^Before: Edit 5: SPY.*…$/s);
  });

  it('lists as many coaches in !help as fit, and says how many more there are', async () => {
    const help = await answerTo('!help');
    expect(help.status).toBe(200);
    const coaches = (help.body as ReplyBody).embeds?.[0]?.fields?.find((field) => field.name === 'Coaches');
    expect(coaches?.value.length).toBeLessThanOrEqual(1024);
    expect(coaches?.value).toContain('`c0` Coach number 0');
    expect(coaches?.value).toMatch(/\n… and \d+ more$/);
  });

  it('shows 25 coaches on the scoreboard and says how many more there are', async () => {
    const { body } = await runSlash(h, h.users.other, 'coach', 'scoreboard');
    const embed = body.embeds?.[0] ?? body.data?.embeds?.[0];
    expect(embed?.fields).toHaveLength(25);
    expect(embed?.description).toContain('16 more coaches are not shown; name one with `coach:`.');
  });

  it('lists whole positions and markets while they fit, then how many more', async () => {
    for (const user of [h.users.coach, h.users.other])
      await runSlash(h, h.users.roleAdmin, 'points', 'give', [
        userOption('user', user),
        integerOption('amount', 10_000),
        { type: 3, name: 'reason', value: 'test funds' },
      ]);
    const question = (n: number) =>
      `Market ${n}: ${'will the long question about index futures hold '.repeat(6)}?`.slice(-290);
    for (let n = 1; n <= 12; n++) {
      const { marketId, message } = await createMarket(h, h.users.coach, {
        question: `Q${n} ${question(n)}`,
        options: ['A', 'B', 'C', 'D', 'E']
          .map((letter) => `${letter}: a long option label, forty-odd chars`)
          .join('\n'),
      });
      const { quoteMessageId, confirmId } = await quoteBet(
        h,
        h.users.other,
        String(message.id),
        marketId,
        0,
        '10',
      );
      expect(replyText((await click(h, h.users.other, quoteMessageId, confirmId!)).body)).toContain('✅');
    }
    const portfolio = await runSlash(h, h.users.other, 'portfolio', null);
    const description = (portfolio.body.embeds ?? portfolio.body.data?.embeds)?.[0]?.description ?? '';
    expect(description).toMatch(/\n\n… and \d+ more$/);
    // Every position shown is whole: its question line and its figures line.
    for (const position of description.split('\n\n').slice(1, -1)) expect(position).toMatch(/now$/);
    const markets = await answerTo('!markets');
    expect(markets.status).toBe(200);
    expect((markets.body as ReplyBody).embeds?.[0]?.description).toMatch(
      /\+1 more · 10 pts traded · closes <t:\d+:R>\n\n… and \d+ more$/,
    );
  });

  it('cuts a question full of emoji for autocomplete and the market title without halving one', async () => {
    const question = `Emoji market ${'🚀'.repeat(140)}`;
    const { marketId, message } = await createMarket(h, h.users.coach, { question });
    const title = (message.embeds as { title: string }[])[0]!.title;
    expect(isWellFormedText(title)).toBe(true);
    expect(title).toMatch(/^#\d+ · Emoji market 🚀+…$/u);
    const { token } = await h.emu.invokeAutocomplete({
      guildId: h.guild.id,
      channelId: h.channel.id,
      userId: h.users.other.id,
      commandName: 'market',
      options: [{ type: 1, name: 'show', options: [stringOption('market', 'emoji', true)] }],
    });
    const answer = await h.emu.waitForCall((call) => call.path.includes(token));
    const [choice] = (answer.body as { data: { choices: { name: string; value: string }[] } }).data.choices;
    expect(choice?.value).toBe(String(marketId));
    expect(isWellFormedText(choice!.name)).toBe(true);
    expect(choice!.name.length).toBeLessThanOrEqual(100);
  });
});
