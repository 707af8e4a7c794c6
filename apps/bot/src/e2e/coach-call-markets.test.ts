import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BotHarness,
  replyText,
  startHarness,
  stringOption,
  waitForMessageReply,
} from '../test-support/bot-harness.js';
import { click, ManualClock, marketMessage, quoteBet, runSlash } from '../test-support/market-harness.js';

let h: BotHarness;
// Tuesday 2026-11-24, 10:00 in New York: the day's 16:00 close is ahead.
const clock = new ManualClock(Date.parse('2026-11-24T15:00:00Z'));

beforeAll(async () => {
  h = await startHarness({
    clock,
    config: {
      timezone: 'America/New_York',
      markets: { embed_update_seconds: 0.05, coach_calls: { enabled: true } },
    },
  });
});

afterAll(async () => {
  await h?.close();
});

const marketIdIn = (text: string) => Number(/📈 Market #(\d+):/.exec(text)?.[1]);

describe('coach-call markets', () => {
  it('opens the plan’s market when the plan is posted, shows its edit, and cancels it with refunds when it is deleted', async () => {
    const posted = await h.send(h.users.coach, '!plan d: Long SPY above 590, stop 585');
    const text = replyText(posted.body);
    expect(text).toContain('📈 Market #');
    expect(text).toContain("Will Coach D (Day Trading)'s plan for 2026-11-24 work out?");
    const marketId = marketIdIn(text);
    const message = marketMessage(h, marketId);
    expect(JSON.stringify(message.embeds)).toContain('On plan #');
    const market = await h.coachwire.services.markets.get(h.guild.id, marketId);
    expect(market.closesAt).toBe('2026-11-24T21:00:00.000Z');
    // Posting a plan costs the coach nothing: the house pays the call's subsidy.
    expect(market.subsidyPayer).toBe('house');
    expect((await h.coachwire.services.points.balance(h.guild.id, h.users.coach.id)).balance).toBe(1000);

    const { quoteMessageId, confirmId } = await quoteBet(
      h,
      h.users.other,
      String(message.id),
      marketId,
      0,
      '150',
    );
    await click(h, h.users.other, quoteMessageId, confirmId!);
    expect((await h.coachwire.services.points.balance(h.guild.id, h.users.other.id)).balance).toBe(850);

    const edited = await h.send(h.users.coach, `!edit d Long SPY above 592 now`);
    expect(replyText(edited.body)).toContain('Updated');
    await h.emu.waitForCall(
      (call) =>
        call.route === 'PATCH /channels/:channelId/messages/:messageId' &&
        call.path.endsWith(String(message.id)) &&
        JSON.stringify(call.body).includes('The plan was edited'),
    );
    expect((await h.coachwire.services.markets.get(h.guild.id, marketId)).status).toBe('open');

    const deleted = await h.send(h.users.coach, '!delete d');
    expect(replyText(deleted.body)).toContain(`🚫 Market #${marketId} was cancelled`);
    expect(replyText(deleted.body)).toContain('Refunded 150 pts to 1 member.');
    expect((await h.coachwire.services.markets.get(h.guild.id, marketId)).status).toBe('cancelled');
    await h.emu.waitForCall(
      (call) =>
        call.route === 'PATCH /channels/:channelId/messages/:messageId' &&
        call.path.endsWith(String(message.id)) &&
        JSON.stringify(call.body).includes('Cancelled'),
    );
    const shown = JSON.stringify(marketMessage(h, marketId).embeds);
    expect(shown).toContain('The plan was edited');
    expect(shown).not.toContain('stays open');
    expect((await h.coachwire.services.points.balance(h.guild.id, h.users.other.id)).balance).toBe(1000);
  });

  it("saves a plan posted for a past day without a market: that day's outcome may be known", async () => {
    const marketsBefore = (await h.coachwire.services.marketQueries.list({ guildId: h.guild.id })).items
      .length;
    const { body } = await h.slash(h.users.coach, 'post', [
      stringOption('coach', 'd'),
      stringOption('text', 'Yesterday: long SPY above 588'),
      stringOption('date', '2026-11-23'),
    ]);
    const text = replyText(body);
    expect(text).toContain('No market: The close of 2026-11-23 has passed');
    expect(text).not.toContain('📈 Market #');
    expect(await h.repository.getLive('d', '2026-11-23')).not.toBeNull();
    expect((await h.coachwire.services.marketQueries.list({ guildId: h.guild.id })).items).toHaveLength(
      marketsBefore,
    );
  });

  it('lets the coach who posted resolve the call, and counts it on the coach scoreboard', async () => {
    const posted = await h.send(h.users.coach, '!plan i: Fade the open gap');
    const marketId = marketIdIn(replyText(posted.body));
    const refused = await runSlash(h, h.users.other, 'market', 'resolve', [
      stringOption('market', String(marketId)),
      stringOption('outcome', 'yes'),
    ]);
    expect(replyText(refused.body)).toContain(
      'Only the market creator or an admin can resolve or cancel this market.',
    );
    const resolved = await runSlash(h, h.users.coach, 'market', 'resolve', [
      stringOption('market', String(marketId)),
      stringOption('outcome', 'yes'),
    ]);
    expect(replyText(resolved.body)).toContain(`Market #${marketId} resolved to **Yes**`);
    const board = await runSlash(h, h.users.other, 'coach', 'scoreboard', [stringOption('coach', 'i')]);
    expect(replyText(board.body)).toContain('Calls resolved: **1**');
    expect(replyText(board.body)).toContain('Hit rate: **100%**');
  });
});

describe('coach-call markets across guilds', () => {
  it('cancels the call when its plan is deleted from another guild: a plan is its coach’s and day’s, not a guild’s', async () => {
    const h2 = await startHarness({
      clock: new ManualClock(Date.parse('2026-11-24T15:00:00Z')),
      config: {
        timezone: 'America/New_York',
        markets: { coach_calls: { enabled: true } },
        discord: { channel_ids: [] },
      },
    });
    try {
      const posted = await h2.send(h2.users.coach, '!plan s: Swing long QQQ above 500');
      const marketId = marketIdIn(replyText(posted.body));
      expect(marketId).toBeGreaterThan(0);
      const guildCreated = once(h2.bot.client, 'guildCreate');
      const second = h2.emu.createGuild({ name: 'Second Floor' });
      await guildCreated;
      const channelCreated = once(h2.bot.client, 'channelCreate');
      const channel = h2.emu.createChannel(second.id, { name: 'plans' });
      await channelCreated;
      h2.emu.addMember(second.id, h2.users.coach.id, { roles: [] });
      const message = await h2.emu.sendMessage({
        channelId: channel.id,
        authorId: h2.users.coach.id,
        content: '!delete s',
      });
      const reply = await waitForMessageReply(h2.emu, String(message.id));
      expect(replyText(reply.body as Parameters<typeof replyText>[0])).toContain(
        `🚫 Market #${marketId} was cancelled`,
      );
      expect((await h2.coachwire.services.markets.get(h2.guild.id, marketId)).status).toBe('cancelled');
    } finally {
      await h2.close();
    }
  });
});
