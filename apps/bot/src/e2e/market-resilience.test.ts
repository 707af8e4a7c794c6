import type { EmulatedUser } from '@coachwire/discord-emulator';
import { ActionRowBuilder, ButtonBuilder, ButtonStyle } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BotHarness,
  isEphemeral,
  replyText,
  startHarness,
  stringOption,
} from '../test-support/bot-harness.js';
import {
  buttonsOf,
  click,
  createMarket,
  ManualClock,
  marketMessage,
  quoteBet,
  submit,
} from '../test-support/market-harness.js';

let h: BotHarness;
const clock = new ManualClock(Date.parse('2026-11-24T15:00:00Z'));
const EDIT_INTERVAL_SECONDS = 0.4;

beforeAll(async () => {
  h = await startHarness({
    clock,
    config: {
      markets: { embed_update_seconds: EDIT_INTERVAL_SECONDS, sweep_seconds: 3600 },
      rate_limits: {
        bot_per_user: { max: 8, window_seconds: 60 },
        bot_per_guild: { max: 10_000, window_seconds: 60 },
      },
    },
  });
});

afterAll(async () => {
  await h?.close();
});

function members(count: number, prefix: string): EmulatedUser[] {
  return Array.from({ length: count }, (_, index) => {
    const user = h.emu.createUser({ username: `${prefix}${index}`, globalName: `${prefix}${index}` });
    h.emu.addMember(h.guild.id, user.id);
    return user;
  });
}

const isEditOf = (messageId: string) => (call: { route: string; path: string }) =>
  call.route === 'PATCH /channels/:channelId/messages/:messageId' && call.path.endsWith(messageId);

describe('market messages under load and across failures', () => {
  it('coalesces the edits of a burst of bets, and the last state lands', async () => {
    const { marketId, message } = await createMarket(h, h.users.coach, { question: 'Burst market?' });
    const messageId = String(message.id);
    const bettors = members(12, 'burst');
    const editsBefore = h.emu.calls.filter(isEditOf(messageId)).length;
    await Promise.all(bettors.map((user) => h.send(user, `!bet ${marketId} yes 10`)));
    await h.emu.waitForCall(
      (call) =>
        isEditOf(messageId)(call) && JSON.stringify(call.body).includes('"name":"Volume","value":"120 pts"'),
    );
    const edits = h.emu.calls.filter(isEditOf(messageId)).length - editsBefore;
    expect(edits).toBeGreaterThanOrEqual(1);
    expect(edits).toBeLessThan(bettors.length);
    const shown = JSON.stringify(marketMessage(h, marketId).embeds);
    expect(shown).toContain('"name":"Bettors","value":"12"');
  });

  it('stops editing a market message that someone deleted, after the one edit that found it gone', async () => {
    const { marketId, message } = await createMarket(h, h.users.coach, { question: 'Deleted card?' });
    const messageId = String(message.id);
    await h.emu.deleteMessage(h.channel.id, messageId);
    const board = h.bot.context.marketBoard!;
    await board.refresh(marketId);
    const failed = h.emu.calls.filter(isEditOf(messageId));
    expect(failed.map((call) => call.status)).toEqual([404]);
    // Trades go on; the card is not tried again.
    await h.send(h.users.other, `!bet ${marketId} yes 10`);
    await board.refresh(marketId);
    expect(h.emu.calls.filter(isEditOf(messageId))).toHaveLength(1);
    expect((await h.bot.context.marketQueries.market(marketId)).volume).toBe(10);
  });

  it('answers a burst of 20 clicks from one member with friendly refusals once the limit is reached', async () => {
    const { marketId, message } = await createMarket(h, h.users.roleAdmin, { question: 'Click storm?' });
    const [clicker] = members(1, 'clicker');
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => click(h, clicker!, String(message.id), `mkt:bet:${marketId}:0`)),
    );
    const forms = answers.filter((answer) => answer.body.type === 9);
    const refusals = answers.filter((answer) => answer.body.type === 4);
    expect(forms).toHaveLength(8);
    expect(refusals).toHaveLength(12);
    for (const refusal of refusals) {
      expect(isEphemeral(refusal.body)).toBe(true);
      expect(replyText(refusal.body)).toMatch(/You are sending commands too fast\. Try again in \d+ s\./);
    }
  });

  it('survives the gateway dropping in the middle of a bet burst without losing or doubling a bet', async () => {
    // A pool: its quotes do not move with the other bets, so every confirm of the burst is a bet.
    const { marketId, message } = await createMarket(h, h.users.roleAdmin, { question: 'Gateway drop?' }, [
      stringOption('closes', '2h'),
      stringOption('mechanism', 'pool'),
    ]);
    const bettors = members(10, 'drop');
    const quotes = [];
    for (const user of bettors)
      quotes.push({ user, ...(await quoteBet(h, user, String(message.id), marketId, 1, '20')) });
    const resumed = h.emu.resumeCount;
    const clicks = quotes.map((quote, index) => {
      if (index === 5) h.emu.dropConnection({ resumable: true });
      return click(h, quote.user, quote.quoteMessageId, quote.confirmId!);
    });
    const answers = await Promise.all(clicks);
    await h.emu.waitForResume(resumed + 1);
    expect(answers.every((answer) => replyText(answer.body).includes('✅ Bet placed: 20 pts'))).toBe(true);
    for (const user of bettors) {
      const positions = await h.coachwire.services.markets.positions(marketId, user.id);
      expect(positions.map((position) => position.invested)).toEqual([20]);
    }
  });

  it('sweeps after a restart: a market that closed and one settled while the bot was down are announced', async () => {
    const closing = await createMarket(h, h.users.coach, { question: 'Closes while down?' }, [
      stringOption('closes', '10m'),
    ]);
    const settling = await createMarket(h, h.users.coach, { question: 'Settled by the API while down?' });
    await h.send(h.users.other, `!bet ${settling.marketId} no 40`);
    await h.bot.stop();
    clock.advance(11 * 60_000);
    // What the API process would do meanwhile: the creator resolves through the same service.
    await h.coachwire.services.markets.resolve(
      { id: h.users.coach.id, name: 'coach_dana' },
      { guildId: h.guild.id, idempotencyKey: 'api:resolve-while-down' },
      settling.marketId,
      { kind: 'option', option: 1 },
    );
    await h.restart();
    const result = await h.emu.waitForCall(
      (call) =>
        call.route === 'POST /channels/:channelId/messages' &&
        String((call.body as { content?: string }).content).includes(
          `Market #${settling.marketId} resolved to **No**`,
        ),
    );
    expect(call(result).message_reference?.message_id).toBe(String(settling.message.id));
    await h.emu.waitForCall(
      (c) => isEditOf(String(closing.message.id))(c) && JSON.stringify(c.body).includes('Closed for trading'),
    );
    expect(buttonsOf(marketMessage(h, closing.marketId)).every((button) => button.disabled)).toBe(true);
    expect(buttonsOf(marketMessage(h, settling.marketId)).every((button) => button.disabled)).toBe(true);
    // Sweeping again announces nothing twice.
    expect(await h.bot.sweepMarkets()).toEqual({ closed: 0, announced: 0 });
  });

  it('posts a settlement announcement Discord failed to take at the next sweep, and only once', async () => {
    const market = await createMarket(h, h.users.coach, { question: 'Announced after an outage?' });
    await h.send(h.users.other, `!bet ${market.marketId} no 40`);
    // Resolved elsewhere (the API), so the bot's sweep is what announces it.
    await h.coachwire.services.markets.resolve(
      { id: h.users.coach.id, name: 'coach_dana' },
      { guildId: h.guild.id, idempotencyKey: 'api:resolve-in-outage' },
      market.marketId,
      { kind: 'option', option: 1 },
    );
    // discord.js retries a 5xx three times: four failures and this sweep's post fails for good.
    h.emu.failNext(4, { status: 503, route: 'POST /channels/:channelId/messages' });
    expect(await h.bot.sweepMarkets()).toEqual({ closed: 0, announced: 0 });
    const isAnnouncement = (c: { route: string; body: unknown }) =>
      c.route === 'POST /channels/:channelId/messages' &&
      String((c.body as { content?: string }).content).includes(
        `Market #${market.marketId} resolved to **No**`,
      );
    expect(h.emu.calls.filter(isAnnouncement)).toHaveLength(4);
    // Before, the claim was kept and the result was never posted.
    expect(await h.bot.sweepMarkets()).toEqual({ closed: 0, announced: 1 });
    expect(h.emu.calls.filter(isAnnouncement)).toHaveLength(5);
    expect(await h.bot.sweepMarkets()).toEqual({ closed: 0, announced: 0 });
  });

  it('says a quote the bot lost by restarting is gone and nothing was traded, not that it was used', async () => {
    const { marketId, message } = await createMarket(h, h.users.coach, {
      question: 'Quote across a restart?',
    });
    const bettor = members(1, 'restart')[0]!;
    const { quoteMessageId, confirmId } = await quoteBet(h, bettor, String(message.id), marketId, 0, '100');
    await h.restart();
    const confirmed = await click(h, bettor, quoteMessageId, confirmId!);
    const text = replyText(confirmed.body);
    // "This quote was already used; nothing more was traded." read as if the bet had gone through.
    expect(text).not.toContain('already used');
    expect(text).toContain('nothing was traded');
    expect(text).toContain('again for a fresh one');
    const { balance } = await h.coachwire.services.points.balance(h.guild.id, bettor.id);
    expect(balance).toBe(h.config.points.starting_balance);
  });

  it('answers a button or form it does not know (an older version’s) privately, instead of leaving it to fail', async () => {
    // A message an older version posted, with buttons this version no longer has.
    const channel = await h.bot.client.channels.fetch(h.channel.id);
    if (!channel?.isSendable()) throw new Error('the test channel takes no messages');
    const old = await channel.send({
      content: 'A board from an older version',
      components: [
        new ActionRowBuilder<ButtonBuilder>().addComponents(
          new ButtonBuilder().setCustomId('mkt:retired:1').setLabel('Old').setStyle(ButtonStyle.Primary),
          new ButtonBuilder()
            .setCustomId('legacy-refresh')
            .setLabel('Refresh')
            .setStyle(ButtonStyle.Secondary),
        ),
      ],
    });
    const clicker = members(1, 'oldbutton')[0]!;
    for (const customId of ['mkt:retired:1', 'legacy-refresh']) {
      const clicked = await click(h, clicker, old.id, customId);
      expect(isEphemeral(clicked.body), customId).toBe(true);
      expect(replyText(clicked.body), customId).toContain('This button is from an older version of the bot');
    }
    for (const customId of ['mkt:retired-form:1', 'old-form']) {
      const submitted = await submit(h, clicker, customId, { amount: '10' });
      expect(isEphemeral(submitted.body), customId).toBe(true);
      expect(replyText(submitted.body), customId).toContain('This form is from an older version of the bot');
    }
  });
});

function call(recorded: { body: unknown }): { message_reference?: { message_id?: string } } {
  return recorded.body as { message_reference?: { message_id?: string } };
}
