import { isWellFormedText } from '@coachwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotHarness, pngAttachment, startHarness, stringOption } from '../test-support/bot-harness.js';

let h: BotHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

/** Every text column of the stored plan rows and events, as SQLite hands them back. */
function storedTexts(): string[] {
  const rows = h.database.sqlite
    .prepare(
      `SELECT text AS value FROM plans UNION ALL SELECT author_name FROM plans
       UNION ALL SELECT coalesce(channel_name, '') FROM plans UNION ALL SELECT filename FROM charts
       UNION ALL SELECT payload FROM events`,
    )
    .all() as { value: string }[];
  return rows.map((row) => row.value);
}

describe('text with unpaired surrogates from Discord', () => {
  it('is stored with a visible U+FFFD in their place, from a prefix command and a display name', async () => {
    const user = h.emu.createUser({ username: 'lone', globalName: 'Lo\uD83Dne' });
    h.emu.addMember(h.guild.id, user.id, { roles: [] });
    const { body } = await h.send(user, '!plan d: SPY a\uD83Db long \uDE00 😀', [pngAttachment('c.png')]);
    expect(body.embeds?.[0]?.description).toBe('SPY a\uFFFDb long \uFFFD 😀');
    const plan = await h.repository.getLive('d', h.bot.context.service.today());
    expect(plan?.text).toBe('SPY a\uFFFDb long \uFFFD 😀');
    expect(plan?.author.name).toBe('Lo\uFFFDne');
    for (const text of storedTexts()) expect(isWellFormedText(text), JSON.stringify(text)).toBe(true);
  });

  it('is repaired the same way in a slash command option', async () => {
    const { body } = await h.slash(h.users.coach, 'post', [
      stringOption('coach', 'i'),
      stringOption('text', 'QQQ \uD800 fade'),
    ]);
    expect(body.embeds?.[0]?.description ?? body.content).toContain('QQQ \uFFFD fade');
    const plan = await h.repository.getLive('i', h.bot.context.service.today());
    expect(plan?.text).toBe('QQQ \uFFFD fade');
  });
});
