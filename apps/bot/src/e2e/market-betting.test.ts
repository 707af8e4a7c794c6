import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotHarness, isEphemeral, replyText, startHarness } from '../test-support/bot-harness.js';
import {
  buttonsOf,
  click,
  createMarket,
  ManualClock,
  marketMessage,
  quoteBet,
  runSlash,
  submit,
} from '../test-support/market-harness.js';

let h: BotHarness;
const clock = new ManualClock(Date.parse('2026-11-24T15:00:00Z'));

/** The ids of the guild's markets, to show a refused form opened none. */
const marketIds = async () =>
  (await h.coachwire.services.marketQueries.list({ guildId: h.guild.id })).items.map(
    (summary) => summary.market.id,
  );

beforeAll(async () => {
  h = await startHarness({ clock, config: { markets: { embed_update_seconds: 0.05 } } });
});

afterAll(async () => {
  await h?.close();
});

describe('markets in Discord: create and bet through the buttons', () => {
  it('creates a market with the form and posts its message with an embed and a Bet button per option', async () => {
    const opened = await runSlash(h, h.users.other, 'market', 'create', [
      { type: 3, name: 'closes', value: '3h' },
    ]);
    expect(opened.body.type).toBe(9);
    expect(JSON.stringify(opened.body.data?.components)).toContain('"custom_id":"question"');
    const { marketId, message, reply } = await createMarket(h, h.users.other, {
      question: 'Will SPY close green today?',
      description: 'Resolves on the 16:00 close.',
    });
    expect(isEphemeral(reply.body)).toBe(true);
    const embed = (
      message.embeds as { title: string; description: string; fields: { name: string; value: string }[] }[]
    )[0]!;
    expect(embed.title).toBe(`#${marketId} · Will SPY close green today?`);
    const closes = Math.floor((clock.now() + 2 * 3_600_000) / 1000);
    // The date and time in each reader's own zone, and how far off it is.
    expect(embed.description).toContain(`closes <t:${closes}:f> (<t:${closes}:R>)`);
    expect(embed.fields.map((field) => field.name)).toEqual(['Yes', 'No', 'Volume', 'Bettors', 'Created by']);
    expect(embed.fields[0]!.value).toBe('**50%**');
    expect(embed.fields[4]!.value).toBe(`<@${h.users.other.id}>`);
    expect(buttonsOf(message).map((button) => button.label)).toEqual(['Bet Yes', 'Bet No', 'Sell']);
  });

  it('refuses a close time it cannot read, privately, with the usage line', async () => {
    const { body } = await runSlash(h, h.users.other, 'market', 'create', [
      { type: 3, name: 'closes', value: 'someday' },
    ]);
    expect(isEphemeral(body)).toBe(true);
    expect(replyText(body)).toMatch(/not a close time[\s\S]*Usage: `\/market create closes:/);
  });

  it.each([
    [
      'a close time already past',
      [{ type: 3, name: 'closes', value: '2026-11-20 16:00' }],
      'must be in the future',
    ],
    [
      'a subsidy over the maximum',
      [
        { type: 3, name: 'closes', value: '3h' },
        { type: 4, name: 'subsidy', value: 2_000_000 },
      ],
      'The subsidy must be a whole number of points from 100 to 1,000,000',
    ],
    // Dropped without a word before: the pool market opened with neither.
    [
      'a subsidy for a pool market',
      [
        { type: 3, name: 'closes', value: '3h' },
        { type: 3, name: 'mechanism', value: 'pool' },
        { type: 4, name: 'subsidy', value: 500 },
      ],
      'A pool market has no subsidy',
    ],
    [
      'an initial probability for a pool market',
      [
        { type: 3, name: 'closes', value: '3h' },
        { type: 3, name: 'mechanism', value: 'pool' },
        { type: 10, name: 'initial_probability', value: 0.2 },
      ],
      'Only a two-option AMM market (cpmm) starts at a chosen probability',
    ],
  ])('refuses %s before the form, privately, with the usage line', async (_name, options, message) => {
    const { body } = await runSlash(h, h.users.other, 'market', 'create', options);
    expect(body.type).not.toBe(9);
    expect(isEphemeral(body)).toBe(true);
    expect(replyText(body)).toContain(message);
    expect(replyText(body)).toContain('Usage: `/market create closes:');
  });

  it('refuses an initial probability for three options (an lmsr market starts even) when the form is sent', async () => {
    const opened = await runSlash(h, h.users.other, 'market', 'create', [
      { type: 3, name: 'closes', value: '3h' },
      { type: 10, name: 'initial_probability', value: 0.2 },
    ]);

    const before = await marketIds();
    const reply = await submit(h, h.users.other, opened.body.data!.custom_id!, {
      question: 'Which index leads today?',
      options: 'SPY\nQQQ\nIWM',
      description: '',
    });
    expect(isEphemeral(reply.body)).toBe(true);
    expect(replyText(reply.body)).toContain('an lmsr market starts with every option even');
    expect(replyText(reply.body)).toContain('Usage: `/market create closes:');
    expect(await marketIds()).toEqual(before);
  });

  it('refuses a create form whose custom id carries no close time (stale or tampered) as bad input', async () => {
    const before = await marketIds();
    for (const closes of ['NaN', '99999999999999999', '']) {
      const reply = await submit(h, h.users.other, `mkt:create:${closes}:amm:-:-`, {
        question: 'Forged?',
        options: '',
        description: '',
      });
      expect(isEphemeral(reply.body)).toBe(true);
      expect(replyText(reply.body)).toContain('This form has no valid close time; run /market create again.');
      expect(replyText(reply.body)).toContain('Usage: `/market create closes:');
    }
    expect(await marketIds()).toEqual(before);
  });

  it('bets through Bet → amount form → private quote → Confirm, and a double click bets once', async () => {
    const { marketId, message } = await createMarket(h, h.users.coach, { question: 'Will QQQ gap up?' });
    const { quote, quoteMessageId, confirmId } = await quoteBet(
      h,
      h.users.other,
      String(message.id),
      marketId,
      0,
      '100',
    );
    expect(isEphemeral(quote.body)).toBe(true);
    expect(replyText(quote.body)).toMatch(
      /100 pts buys \*\*\d+\.\d Yes\*\* shares at an average \d+%; new probability \d+%; pays \d+ pts if Yes\./,
    );
    const [first, second] = await Promise.all([
      click(h, h.users.other, quoteMessageId, confirmId!),
      click(h, h.users.other, quoteMessageId, confirmId!),
    ]);
    const answers = [replyText(first.body), replyText(second.body)];
    expect(answers.filter((text) => text.includes('✅ Bet placed: 100 pts bought'))).toHaveLength(1);
    expect(answers.filter((text) => text.includes('already used'))).toHaveLength(1);
    const positions = await h.coachwire.services.markets.positions(marketId, h.users.other.id);
    expect(positions.map((p) => p.invested)).toEqual([100]);
    const balance = await h.coachwire.services.points.balance(h.guild.id, h.users.other.id);
    // 1000 to start, 100 for the subsidy of the first test's market, 100 for this bet.
    expect(balance.balance).toBe(800);
    // The market message catches up with the bet.
    await h.emu.waitForCall(
      (call) =>
        call.route === 'PATCH /channels/:channelId/messages/:messageId' &&
        call.path.endsWith(String(message.id)) &&
        JSON.stringify(call.body).includes('"name":"Volume","value":"100 pts"'),
    );
    const embed = JSON.stringify(marketMessage(h, marketId).embeds);
    expect(embed).toContain('"name":"Bettors","value":"1"');
  });

  it('refuses an amount the bet form cannot read, privately, with what the form takes', async () => {
    const { marketId, message } = await createMarket(h, h.users.coach, { question: 'Will AMD rebound?' });
    const { quote, confirmId } = await quoteBet(h, h.users.other, String(message.id), marketId, 0, '10.5');
    expect(confirmId).toBeUndefined();
    expect(isEphemeral(quote.body)).toBe(true);
    expect(replyText(quote.body).trim()).toBe(
      "⚠️ '10.5' is not an amount; use a whole number of points.\n" +
        `Usage: \`a whole number of points from 1 to ${h.config.markets.max_bet.toLocaleString('en-US')}, e.g. 100 (or !bet ${marketId} <option> <points>)\``,
    );
    expect(await h.coachwire.services.markets.positions(marketId, h.users.other.id)).toEqual([]);
  });

  it('answers an expired quote with no trade, and a Cancel with no trade', async () => {
    const { marketId, message } = await createMarket(h, h.users.coach, { question: 'Will IWM rally?' });
    const late = await quoteBet(h, h.users.other, String(message.id), marketId, 1, '50');
    clock.advance(61_000);
    const expired = await click(h, h.users.other, late.quoteMessageId, late.confirmId!);
    expect(replyText(expired.body)).toContain('This quote expired, so nothing was traded');
    const dropped = await quoteBet(h, h.users.other, String(message.id), marketId, 1, '50');
    const cancelled = await click(
      h,
      h.users.other,
      dropped.quoteMessageId,
      dropped.confirmId!.replace('confirm', 'drop'),
    );
    expect(replyText(cancelled.body)).toContain('Cancelled; nothing was traded.');
    expect(await h.coachwire.services.markets.positions(marketId, h.users.other.id)).toEqual([]);
  });

  it('gives a fresh quote instead of a bet when the price moved in between', async () => {
    const { marketId, message } = await createMarket(h, h.users.coach, { question: 'Will TSLA beat?' });
    const mine = await quoteBet(h, h.users.other, String(message.id), marketId, 0, '200');
    const theirs = await quoteBet(h, h.users.moderator, String(message.id), marketId, 0, '500');
    await click(h, h.users.moderator, theirs.quoteMessageId, theirs.confirmId!);
    const moved = await click(h, h.users.other, mine.quoteMessageId, mine.confirmId!);
    expect(replyText(moved.body)).toContain('The price moved, so nothing was traded. Fresh quote');
    expect(await h.coachwire.services.markets.positions(marketId, h.users.other.id)).toEqual([]);
    // Confirm is acknowledged first, so the fresh quote arrives as an edit of the quote message.
    const freshConfirm = buttonsOf((moved.body.data ?? moved.body) as never).find((b) =>
      b.custom_id.startsWith('mkt:confirm:'),
    );
    const placed = await click(h, h.users.other, mine.quoteMessageId, freshConfirm!.custom_id);
    expect(replyText(placed.body)).toContain('✅ Bet placed: 200 pts');
  });

  it('refuses a bet larger than the balance at its quote, keeping the balance', async () => {
    const { marketId, message } = await createMarket(h, h.users.coach, { question: 'Will NVDA split?' });
    // No quote for what the member cannot afford: it could only be refused at Confirm.
    const big = await quoteBet(h, h.users.restrictedCoach, String(message.id), marketId, 0, '5000');
    expect(big.confirmId).toBeUndefined();
    expect(isEphemeral(big.quote.body)).toBe(true);
    expect(replyText(big.quote.body).trim()).toBe('⚠️ You have 1,000 points; this needs 5,000.');
    // Over the most one bet may be, that limit is named first, as `!bet` names it.
    const overMax = await quoteBet(h, h.users.restrictedCoach, String(message.id), marketId, 0, '10001');
    expect(replyText(overMax.quote.body)).toContain('The most you can bet at once is 10,000 points.');
    expect((await h.coachwire.services.points.balance(h.guild.id, h.users.restrictedCoach.id)).balance).toBe(
      1000,
    );
  });
});
