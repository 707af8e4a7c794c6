import type { Json } from '@coachwire/discord-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BotHarness,
  isEphemeral,
  replyText,
  startHarness,
  stringOption,
} from '../test-support/bot-harness.js';
import {
  answeredMessageId,
  buttonsOf,
  click,
  createMarket,
  integerOption,
  ManualClock,
  marketMessage,
  quoteBet,
  runSlash,
  submit,
  userOption,
} from '../test-support/market-harness.js';

let h: BotHarness;
const clock = new ManualClock(Date.parse('2026-11-24T15:00:00Z'));

beforeAll(async () => {
  h = await startHarness({ clock, config: { markets: { embed_update_seconds: 0.05 } } });
});

afterAll(async () => {
  await h?.close();
});

const balanceOf = async (userId: string) =>
  (await h.coachwire.services.points.balance(h.guild.id, userId)).balance;

async function bet(
  user: typeof h.users.other,
  message: Json,
  marketId: number,
  option: number,
  amount: string,
) {
  const { quoteMessageId, confirmId } = await quoteBet(h, user, String(message.id), marketId, option, amount);
  const placed = await click(h, user, quoteMessageId, confirmId!);
  expect(replyText(placed.body)).toContain('✅');
}

describe('settling markets in Discord', () => {
  it('resolves with the result message (outcome, top winners, total paid) and pays the winners', async () => {
    const { marketId, message } = await createMarket(h, h.users.coach, { question: 'Will SPY close green?' });
    await bet(h.users.other, message, marketId, 0, '100');
    await bet(h.users.moderator, message, marketId, 1, '100');
    const [position] = await h.coachwire.services.markets.positions(marketId, h.users.other.id);
    const refused = await runSlash(h, h.users.other, 'market', 'resolve', [
      stringOption('market', String(marketId)),
      stringOption('outcome', 'yes'),
    ]);
    expect(isEphemeral(refused.body)).toBe(true);
    expect(replyText(refused.body)).toContain(
      'Only the market creator or an admin can resolve or cancel this market.',
    );
    const { body } = await runSlash(h, h.users.coach, 'market', 'resolve', [
      stringOption('market', `#${marketId}`),
      stringOption('outcome', 'Yes'),
    ]);
    const paid = Math.floor(position!.shares / 1_000_000);
    expect(replyText(body)).toContain(`🏁 Market #${marketId} resolved to **Yes**`);
    expect(replyText(body)).toContain(
      `Top winners: 1. <@${h.users.other.id}> ${paid.toLocaleString('en-US')} pts`,
    );
    expect(replyText(body)).toContain(`Total paid: ${paid.toLocaleString('en-US')} pts to 1 member.`);
    expect(await balanceOf(h.users.other.id)).toBe(1000 - 100 + paid);
    expect(await balanceOf(h.users.moderator.id)).toBe(900);
    const shown = marketMessage(h, marketId);
    expect(buttonsOf(shown).every((button) => button.disabled)).toBe(true);
    expect(JSON.stringify(shown.embeds)).toContain('Resolved to **Yes**');
    // A sweep afterwards does not announce it again.
    const swept = await h.bot.sweepMarkets();
    expect(swept.announced).toBe(0);

    const notAdmin = await runSlash(h, h.users.coach, 'market', 'unresolve', [
      stringOption('market', String(marketId)),
      stringOption('reason', 'wrong close'),
    ]);
    expect(replyText(notAdmin.body)).toContain('Only an admin can unresolve a market.');
    const undone = await runSlash(h, h.users.roleAdmin, 'market', 'unresolve', [
      stringOption('market', String(marketId)),
      stringOption('reason', 'wrong close'),
    ]);
    expect(replyText(undone.body)).toContain(`↩️ Market #${marketId} was unresolved`);
    expect(await balanceOf(h.users.other.id)).toBe(900);
    const again = await runSlash(h, h.users.roleAdmin, 'market', 'resolve', [
      stringOption('market', String(marketId)),
      stringOption('outcome', 'No'),
    ]);
    expect(replyText(again.body)).toContain('resolved to **No**');
    expect(await balanceOf(h.users.other.id)).toBe(900);
  });

  it('resolves to an option whose label reads like cancel or a percentage, as its autocomplete offers it', async () => {
    // The outcome autocomplete offers each option's label as typed; a label `Cancel` cancelled the market
    // (refunding everyone instead of paying the winners) and a label `3%` was refused as a percentage.
    const { marketId, message } = await createMarket(h, h.users.roleAdmin, {
      question: 'Will the Fed cancel or proceed with the hike?',
      options: 'Cancel\nProceed',
    });
    await bet(h.users.moderator, message, marketId, 0, '100');
    const before = await balanceOf(h.users.moderator.id);
    const outcomes = await h.emu.invokeAutocomplete({
      guildId: h.guild.id,
      channelId: h.channel.id,
      userId: h.users.roleAdmin.id,
      commandName: 'market',
      options: [
        {
          type: 1,
          name: 'resolve',
          options: [stringOption('market', String(marketId)), stringOption('outcome', '', true)],
        },
      ],
    });
    const offered = await h.emu.waitForCall((call) => call.path.includes(outcomes.token));
    // No second `cancel` choice that would resolve to the option too: cancelling it is /market cancel.
    expect(
      (offered.body as { data: { choices: { value: string }[] } }).data.choices.map((c) => c.value),
    ).toEqual(['Cancel', 'Proceed']);
    const resolved = await runSlash(h, h.users.roleAdmin, 'market', 'resolve', [
      stringOption('market', String(marketId)),
      stringOption('outcome', 'Cancel'),
    ]);
    expect(replyText(resolved.body)).toContain(`Market #${marketId} resolved to **Cancel**`);
    expect((await h.coachwire.services.markets.get(h.guild.id, marketId)).status).toBe('resolved');
    expect(await balanceOf(h.users.moderator.id)).toBeGreaterThan(before + 100);

    const cpi = await createMarket(
      h,
      h.users.roleAdmin,
      { question: 'Where does CPI print?', options: '2%\n3%\n4%' },
      [stringOption('closes', '2h'), stringOption('mechanism', 'pool')],
    );
    const printed = await runSlash(h, h.users.roleAdmin, 'market', 'resolve', [
      stringOption('market', String(cpi.marketId)),
      stringOption('outcome', '3%'),
    ]);
    expect(replyText(printed.body)).toContain(`Market #${cpi.marketId} resolved to **3%**`);
  });

  it('says 1 pt, not 1 pts, for a single point in a bet, a market and a result', async () => {
    const { marketId } = await createMarket(h, h.users.roleAdmin, { question: 'Will one point do?' });
    const placed = await h.send(h.users.other, `!bet ${marketId} yes 1`);
    expect(replyText(placed.body)).toContain('✅ Bet placed: 1 pt bought');
    const shown = await h.send(h.users.other, `!market ${marketId}`);
    expect(replyText(shown.body)).toMatch(/Volume\n1 pt$/m);
    const listed = await h.send(h.users.other, '!markets');
    expect(replyText(listed.body)).toContain('· 1 pt traded');
    const cancelled = await runSlash(h, h.users.roleAdmin, 'market', 'cancel', [
      stringOption('market', String(marketId)),
    ]);
    expect(replyText(cancelled.body)).toContain('Refunded 1 pt to 1 member.');
  });

  it('takes an amount written as the bot writes it (1,000), and says what is wrong with 0, -5 or a huge one', async () => {
    const { marketId, message } = await createMarket(h, h.users.roleAdmin, { question: 'Will 1,000 count?' });
    await runSlash(h, h.users.roleAdmin, 'points', 'give', [
      userOption('user', h.users.other),
      integerOption('amount', 2000),
      stringOption('reason', 'stake for the test'),
    ]);
    const before = await balanceOf(h.users.other.id);
    const grouped = await h.send(h.users.other, `!bet ${marketId} yes 1,000`);
    expect(replyText(grouped.body)).toContain('✅ Bet placed: 1,000 pts bought');
    expect(await balanceOf(h.users.other.id)).toBe(before - 1000);
    const { quote } = await quoteBet(h, h.users.other, String(message.id), marketId, 1, '1,000');
    expect(replyText(quote.body)).toContain('1,000 pts buys');
    const huge = await quoteBet(h, h.users.other, String(message.id), marketId, 1, '99999999999');
    expect(replyText(huge.quote.body)).toContain('The most you can bet at once is');
    expect(replyText(huge.quote.body)).toContain(
      'Usage: `a whole number of points from 1 to 10,000, e.g. 100',
    );
    const form = await click(h, h.users.other, String(message.id), `mkt:bet:${marketId}:0`);
    expect(JSON.stringify(form.body.data?.components)).toContain('"placeholder":"e.g. 100 (at most 10,000)"');
    const usage = 'Usage: `!bet <market id> <option> <points>';
    for (const [typed, says] of [
      ['0', 'The amount must be at least 1 point.'],
      ['-5', 'The amount must be at least 1 point.'],
      ['99999999999', 'The most you can bet at once is'],
      ['1.5', "'1.5' is not an amount; use a whole number of points."],
      ['1,00', "'1,00' is not an amount; use a whole number of points."],
    ] as const) {
      const refused = await h.send(h.users.other, `!bet ${marketId} yes ${typed}`);
      expect(replyText(refused.body)).toContain(says);
      expect(replyText(refused.body)).toContain(usage);
    }
    expect(await balanceOf(h.users.other.id)).toBe(before - 1000);
  });

  it('knows an accented option however the keyboard composed it, and refuses two that look the same', async () => {
    // "Zoë" typed with a combining diaeresis (NFD, as some keyboards and pastes send it) is the same option.
    const { marketId } = await createMarket(h, h.users.roleAdmin, {
      question: 'Who wins the desk contest?',
      options: 'Zo\u00eb\n\u00c9mile',
    });
    const placed = await h.send(h.users.other, `!bet ${marketId} zoe\u0308 10`);
    expect(replyText(placed.body)).toContain('✅ Bet placed: 10 pts bought');
    const second = await h.send(h.users.other, `!bet ${marketId} E\u0301MILE 10`);
    expect(replyText(second.body)).toContain('✅ Bet placed: 10 pts bought');
    const opened = await runSlash(h, h.users.roleAdmin, 'market', 'create', [stringOption('closes', '2h')]);
    const twice = await submit(h, h.users.roleAdmin, opened.body.data!.custom_id!, {
      question: 'Which spelling?',
      options: 'Zo\u00eb\nZoe\u0308',
      description: '',
    });
    expect(replyText(twice.body)).toContain('appears twice');
  });

  it('offers every holding to sell, even past the five buttons one row holds', async () => {
    const labels = ['Tech', 'Energy', 'Financials', 'Health', 'Utilities', 'Materials'];
    const { marketId, message } = await createMarket(h, h.users.roleAdmin, {
      question: 'Which sector leads the quarter?',
      options: labels.join('\n'),
    });
    for (const label of labels) {
      const placed = await h.send(h.users.moderator, `!bet ${marketId} ${label} 10`);
      expect(replyText(placed.body)).toContain('✅');
    }
    const clicked = await click(h, h.users.moderator, String(message.id), `mkt:sell:${marketId}`);
    const offered = buttonsOf(clicked.body.data as never);
    expect(offered.map((button) => button.label)).toEqual(labels.map((label) => `Sell ${label}`));
    const chooser = answeredMessageId(h, clicked.interactionId);
    const sixth = await click(h, h.users.moderator, chooser, offered[5]!.custom_id);
    expect(sixth.body.data?.title).toBe('Sell Materials shares');
  });

  it('cancels with refunds, and refuses a creator who holds a position', async () => {
    const { marketId, message } = await createMarket(h, h.users.restrictedCoach, {
      question: 'Which sector leads?',
      options: 'Tech\nEnergy\nHealth',
    });
    expect(buttonsOf(message).map((button) => button.label)).toEqual([
      'Bet Tech',
      'Bet Energy',
      'Bet Health',
      'Sell',
    ]);
    await bet(h.users.restrictedCoach, message, marketId, 1, '50');
    const holds = await runSlash(h, h.users.restrictedCoach, 'market', 'cancel', [
      stringOption('market', String(marketId)),
    ]);
    expect(replyText(holds.body)).toContain(
      'You hold a position in this market, so an admin must resolve or cancel it.',
    );
    const { body } = await runSlash(h, h.users.roleAdmin, 'market', 'cancel', [
      stringOption('market', String(marketId)),
      stringOption('reason', 'ambiguous'),
    ]);
    expect(replyText(body)).toContain(`🚫 Market #${marketId} was cancelled`);
    expect(replyText(body)).toContain('Refunded 50 pts to 1 member.');
    // Her 50-point stake is refunded and her 100-point subsidy returns to her as the market's maker.
    expect(await balanceOf(h.users.restrictedCoach.id)).toBe(1000);
  });

  it('sells through the Sell button, form, quote and Confirm', async () => {
    const { marketId, message } = await createMarket(h, h.users.coach, { question: 'Will AAPL hold 200?' });
    await bet(h.users.moderator, message, marketId, 0, '200');
    const before = await balanceOf(h.users.moderator.id);
    const clicked = await click(h, h.users.moderator, String(message.id), `mkt:sell:${marketId}`);
    expect(clicked.body.type).toBe(9);
    for (const typed of ['lots', '100000']) {
      const refused = await submit(h, h.users.moderator, clicked.body.data!.custom_id!, { amount: typed });
      expect(isEphemeral(refused.body)).toBe(true);
      expect(replyText(refused.body).trim()).toMatch(
        /^⚠️ .+\nUsage: `all, or a number of shares up to the \d+\.\d you hold, e\.g\. 10\.5`$/,
      );
    }
    const quote = await submit(h, h.users.moderator, clicked.body.data!.custom_id!, { amount: 'all' });
    expect(replyText(quote.body)).toMatch(/Selling \*\*\d+\.\d Yes\*\* shares returns \*\*\d+ pts\*\*/);
    // The holding the form shows (rounded down to a tenth) is shown the same everywhere, and typing it sells
    // everything, exactly as `all` does.
    const refused = await submit(h, h.users.moderator, clicked.body.data!.custom_id!, { amount: '100000' });
    const shown = /up to the (\d+\.\d) you hold/.exec(replyText(refused.body))![1]!;
    expect(replyText(quote.body)).toContain(`Selling **${shown} Yes** shares`);
    const typedShown = await submit(h, h.users.moderator, clicked.body.data!.custom_id!, { amount: shown });
    expect(replyText(typedShown.body)).toBe(replyText(quote.body));
    const confirm = buttonsOf(quote.body.data as never).find((b) => b.custom_id.startsWith('mkt:confirm:'))!;
    const quoteMessage = h.emu.interactionResponses(quote.interactionId)[0]!.messageId!;
    const sold = await click(h, h.users.moderator, quoteMessage, confirm.custom_id);
    expect(replyText(sold.body)).toMatch(/✅ Sold \d+\.\d Yes shares for \*\*\d+ pts\*\*/);
    expect(await balanceOf(h.users.moderator.id)).toBeGreaterThan(before);
    const nothing = await click(h, h.users.other, String(message.id), `mkt:sell:${marketId}`);
    expect(replyText(nothing.body)).toContain(`You hold no shares in market #${marketId} to sell.`);
  });

  it('disables the buttons when the market closes on time, and refuses a bet on it', async () => {
    const { marketId, message } = await createMarket(h, h.users.coach, { question: 'Will VIX spike?' }, [
      stringOption('closes', '30m'),
    ]);
    clock.advance(31 * 60_000);
    // Closed by the clock alone: a click before the sweep edited the message is refused.
    const refused = await click(h, h.users.other, String(message.id), `mkt:bet:${marketId}:0`);
    expect(isEphemeral(refused.body)).toBe(true);
    expect(replyText(refused.body)).toContain(`Market #${marketId} is closed for trading; no more trades.`);
    const swept = await h.bot.sweepMarkets();
    expect(swept.closed).toBeGreaterThanOrEqual(1);
    const shown = marketMessage(h, marketId);
    expect(buttonsOf(shown).every((button) => button.disabled)).toBe(true);
    expect(JSON.stringify(shown.embeds)).toContain('Closed for trading');
    await expect(click(h, h.users.other, String(message.id), `mkt:bet:${marketId}:0`)).rejects.toThrow(
      /disabled/,
    );
  });

  it('shows, lists and autocompletes markets, bets with !bet and lists with !markets', async () => {
    const { marketId } = await createMarket(h, h.users.coach, { question: 'Will gold top 3000?' });
    const placed = await h.send(h.users.other, `!bet ${marketId} yes 25`);
    expect(replyText(placed.body)).toContain('✅ Bet placed: 25 pts bought');
    const badOption = await h.send(h.users.other, `!bet ${marketId} maybe 25`);
    expect(replyText(badOption.body)).toMatch(/not an option of this market: Yes, No/);
    const usage = await h.send(h.users.other, '!bet 1 yes');
    expect(replyText(usage.body)).toContain('Usage: `!bet <market id> <option> <points>');
    const { marketId: wide } = await createMarket(h, h.users.coach, {
      question: 'Which sector leads this week?',
      options: 'Tech\nEnergy\nFinancials\nHealth\nUtilities\nMaterials',
    });
    const listed = await h.send(h.users.other, '!markets');
    expect(replyText(listed.body)).toContain(`**#${marketId}** Will gold top 3000?`);
    // Four options a line, and how many more there are: a fifth used to vanish without a sign.
    expect(replyText(listed.body)).toMatch(
      new RegExp(
        `\\*\\*#${wide}\\*\\* Which sector leads this week\\?\\nTech \\d+% · Energy \\d+% · Financials \\d+% · Health \\d+% · \\+2 more · `,
      ),
    );
    const shown = await runSlash(h, h.users.other, 'market', 'show', [
      stringOption('market', String(marketId)),
    ]);
    expect(replyText(shown.body)).toContain(`#${marketId} · Will gold top 3000?`);
    const missing = await runSlash(h, h.users.other, 'market', 'show', [stringOption('market', '99999')]);
    expect(replyText(missing.body)).toContain('No market with id 99999.');
    const resolved = await runSlash(h, h.users.other, 'market', 'list', [stringOption('status', 'resolved')]);
    expect(replyText(resolved.body)).toContain('Will SPY close green?');
    // A cancelled market can be listed too, or it would vanish from every list.
    const cancelled = await runSlash(h, h.users.other, 'market', 'list', [
      stringOption('status', 'cancelled'),
    ]);
    expect(replyText(cancelled.body)).toContain('Which sector leads?');
    expect(replyText((await h.send(h.users.other, '!markets cancelled')).body)).toContain(
      'Which sector leads?',
    );

    const { token } = await h.emu.invokeAutocomplete({
      guildId: h.guild.id,
      channelId: h.channel.id,
      userId: h.users.other.id,
      commandName: 'market',
      options: [{ type: 1, name: 'resolve', options: [stringOption('market', 'gold', true)] }],
    });
    const choices = await h.emu.waitForCall((call) => call.path.includes(token));
    expect(JSON.stringify(choices.body)).toContain(`"value":"${marketId}"`);
    const outcomes = await h.emu.invokeAutocomplete({
      guildId: h.guild.id,
      channelId: h.channel.id,
      userId: h.users.other.id,
      commandName: 'market',
      options: [
        {
          type: 1,
          name: 'resolve',
          options: [stringOption('market', String(marketId)), stringOption('outcome', '', true)],
        },
      ],
    });
    const outcomeCall = await h.emu.waitForCall((call) => call.path.includes(outcomes.token));
    expect(
      (outcomeCall.body as { data: { choices: { value: string }[] } }).data.choices.map((c) => c.value),
    ).toEqual(['Yes', 'No', 'cancel']);

    const portfolio = await runSlash(h, h.users.other, 'portfolio', null);
    expect(isEphemeral(portfolio.body)).toBe(true);
    expect(replyText(portfolio.body)).toContain(`**#${marketId}** Will gold top 3000?`);
  });
});
