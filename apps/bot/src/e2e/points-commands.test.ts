import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BotHarness,
  isEphemeral,
  replyText,
  startHarness,
  stringOption,
} from '../test-support/bot-harness.js';
import { createMarket, integerOption, runSlash, userOption } from '../test-support/market-harness.js';

let h: BotHarness;

beforeAll(async () => {
  // Only a role nobody has may create markets here, so creating is an admin's privilege.
  h = await startHarness({
    config: {
      points: { starting_balance: 1000, daily_amount: 100 },
      markets: { creator_role_ids: ['1234567890'] },
    },
  });
});

afterAll(async () => {
  await h?.close();
});

describe('points commands through discord.js and the emulator', () => {
  it('claims the daily points once per trading day, privately, and refuses the second claim by name', async () => {
    const first = await runSlash(h, h.users.other, 'points', 'daily');
    expect(isEphemeral(first.body)).toBe(true);
    expect(replyText(first.body)).toMatch(
      /You claimed \*\*100 pts\*\* for \d{4}-\d{2}-\d{2}\. Balance: 1,100 pts\./,
    );
    const second = await runSlash(h, h.users.other, 'points', 'daily');
    expect(isEphemeral(second.body)).toBe(true);
    expect(replyText(second.body)).toMatch(/You already claimed your daily points/);
    const viaPrefix = await h.send(h.users.other, '!daily');
    expect(replyText(viaPrefix.body)).toMatch(/already claimed/);
    const balance = await runSlash(h, h.users.other, 'points', 'balance');
    expect(replyText(balance.body)).toContain('You have **1,100 pts**');
  });

  it('refuses !daily with text after it, with its usage line, and claims nothing', async () => {
    // `!daily 500` claimed the usual amount without a word about the 500.
    const { body } = await h.send(h.users.moderator, '!daily 500');
    expect(replyText(body)).toContain("Unexpected text: '500'.");
    expect(replyText(body)).toContain('Usage: `!daily`');
    const { balance } = await h.coachwire.services.points.balance(h.guild.id, h.users.moderator.id);
    expect(balance).toBe(1000);
  });

  it('keeps the display name of each member who uses a command, for the dashboard and the API', async () => {
    const names = h.coachwire.repositories.memberNames;
    await runSlash(h, h.users.coach, 'points', 'balance');
    await expect
      .poll(() => names.namesOf(h.guild.id, [h.users.coach.id]))
      .toEqual(new Map([[h.users.coach.id, h.users.coach.username]]));
    await h.send(h.users.moderator, '!balance');
    await expect
      .poll(() => names.namesOf(h.guild.id, [h.users.moderator.id]))
      .toEqual(new Map([[h.users.moderator.id, h.users.moderator.username]]));
  });

  it('shows another member’s balance, the starting balance for a newcomer, and the prefix aliases', async () => {
    const newcomer = await runSlash(h, h.users.other, 'points', 'balance', [
      userOption('user', h.users.moderator),
    ]);
    expect(replyText(newcomer.body)).toContain(`<@${h.users.moderator.id}> has **1,000 pts**`);
    for (const typed of ['!balance', '!bal', '!points']) {
      const { body } = await h.send(h.users.other, typed);
      expect(replyText(body)).toContain('You have **1,100 pts**');
    }
    const mentioned = await h.send(h.users.other, `!balance <@${h.users.other.id}>`);
    expect(replyText(mentioned.body)).toContain('You have');
    const wrong = await h.send(h.users.other, '!balance bob');
    expect(replyText(wrong.body)).toMatch(/mention them[\s\S]*!balance \[@member\]/);
  });

  it('lets an admin give points with a reason and refuses everyone else with its own message', async () => {
    const refused = await runSlash(h, h.users.other, 'points', 'give', [
      userOption('user', h.users.other),
      integerOption('amount', 500),
      stringOption('reason', 'please'),
    ]);
    expect(isEphemeral(refused.body)).toBe(true);
    expect(replyText(refused.body)).toContain('Only an admin can use this command.');
    const given = await runSlash(h, h.users.roleAdmin, 'points', 'give', [
      userOption('user', h.users.coach),
      integerOption('amount', 250),
      stringOption('reason', 'tournament prize'),
    ]);
    expect(replyText(given.body)).toContain(
      `gave <@${h.users.coach.id}> 250 pts (tournament prize). New balance: 1,250 pts.`,
    );
    // The public reply quotes the reason as typed: no mention in it may ping anyone.
    const pinging = await runSlash(h, h.users.roleAdmin, 'points', 'give', [
      userOption('user', h.users.coach),
      integerOption('amount', 1),
      stringOption('reason', '@everyone look'),
    ]);
    expect(replyText(pinging.body)).toContain('(@everyone look)');
    expect((pinging.body as { allowed_mentions?: unknown }).allowed_mentions).toMatchObject({ parse: [] });
  });

  it('refuses to remove more points than the member has, saying whose balance is short, and changes nothing', async () => {
    const before = await h.coachwire.services.points.balance(h.guild.id, h.users.coach.id);
    const { body } = await runSlash(h, h.users.roleAdmin, 'points', 'give', [
      userOption('user', h.users.coach),
      integerOption('amount', -(before.balance + 1)),
      stringOption('reason', 'correction'),
    ]);
    const text = replyText(body);
    // Grouped as every amount a member sees (the coach holds over 1,000 points here).
    const has = before.balance.toLocaleString('en-US');
    expect(before.balance).toBeGreaterThanOrEqual(1000);
    expect(text).toContain(`The member has ${has} points, so at most ${has} can be removed.`);
    expect(text).not.toContain('You have');
    const after = await h.coachwire.services.points.balance(h.guild.id, h.users.coach.id);
    expect(after.balance).toBe(before.balance);
  });

  it('ranks members on the leaderboard, all time and this month, by slash and prefix', async () => {
    const all = await runSlash(h, h.users.other, 'points', 'leaderboard');
    expect(replyText(all.body)).toContain('Leaderboard · all time');
    expect(replyText(all.body)).toContain(`<@${h.users.other.id}>`);
    const month = await runSlash(h, h.users.other, 'points', 'leaderboard', [
      stringOption('period', 'month'),
    ]);
    expect(replyText(month.body)).toMatch(/Leaderboard · \d{4}-\d{2}/);
    for (const typed of ['!leaderboard', '!lb', '!top month']) {
      const { body } = await h.send(h.users.other, typed);
      expect(replyText(body)).toContain('Leaderboard');
    }
    const wrong = await h.send(h.users.other, '!leaderboard forever');
    expect(replyText(wrong.body)).toMatch(/not a period[\s\S]*!leaderboard \[all\|month\]/);
  });

  it('shows the coach scoreboard before any call resolved', async () => {
    const { body } = await runSlash(h, h.users.other, 'coach', 'scoreboard', [stringOption('coach', 'd')]);
    expect(replyText(body)).toContain('Coach D (Day Trading)');
    expect(replyText(body)).toContain('No call resolved yet.');
  });

  it('refuses to open the market form to a member without a market-creator role, but not to an admin', async () => {
    const refused = await runSlash(h, h.users.other, 'market', 'create', [stringOption('closes', '2h')]);
    expect(isEphemeral(refused.body)).toBe(true);
    expect(replyText(refused.body)).toContain('Only members with a market-creator role may create markets.');
    const admin = await runSlash(h, h.users.roleAdmin, 'market', 'create', [stringOption('closes', '2h')]);
    expect(admin.body.type).toBe(9);
  });

  it('writes the limits it refuses with grouped, as every amount it shows', async () => {
    const subsidy = await runSlash(h, h.users.roleAdmin, 'market', 'create', [
      stringOption('closes', '2h'),
      integerOption('subsidy', 99_999_999),
    ]);
    expect(replyText(subsidy.body)).toContain(
      'The subsidy must be a whole number of points from 100 to 1,000,000.',
    );
    const { marketId } = await createMarket(h, h.users.roleAdmin, { question: 'Limits?' });
    const bet = await h.send(h.users.other, `!bet ${marketId} yes 1000000`);
    expect(replyText(bet.body)).toContain('The most you can bet at once is 10,000 points.');
  });
});
