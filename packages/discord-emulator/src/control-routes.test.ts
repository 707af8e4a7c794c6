import type { Client } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiscordEmulator } from './emulator.js';
import { loginTestClient } from './test-client.js';

let emu: DiscordEmulator;
let client: Client<true> | undefined;
let channelId: string;
let memberId: string;
let guildId: string;

beforeEach(async () => {
  emu = await DiscordEmulator.start();
  guildId = emu.createGuild({ name: 'Trading Floor' }).id;
  channelId = emu.createChannel(guildId, { name: 'trading-plans' }).id;
  memberId = emu.createUser({ username: 'you' }).id;
  emu.addMember(guildId, memberId);
});

afterEach(async () => {
  await client?.destroy();
  client = undefined;
  await emu.stop();
});

async function say(body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${emu.controlUrl}/say`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('POST /_control/say', () => {
  it("posts the message as the member and answers with the bot's reply to it", async () => {
    client = await loginTestClient(emu);
    client.on('messageCreate', (message) => {
      if (message.author.bot) return;
      void message.channel.send('not a reply');
      void message.reply({
        content: `echo ${message.content}`,
        embeds: [{ title: 'Balance', description: '100' }],
      });
    });
    const answer = await say({ channel_id: channelId, author_id: memberId, content: '!balance' });
    expect(answer.status).toBe(200);
    const posted = emu.messagesIn(channelId).find((message) => message.id === answer.body.message_id);
    expect(posted).toMatchObject({ content: '!balance', author: { id: memberId } });
    expect(answer.body.reply).toEqual({
      content: 'echo !balance',
      embeds: [{ title: 'Balance', description: '100' }],
    });
  });

  it("names the users the reply mentions, as Discord's client shows them", async () => {
    const ben = emu.createUser({ username: 'ben_01', globalName: 'Ben' });
    client = await loginTestClient(emu);
    client.on('messageCreate', (message) => {
      if (message.author.bot) return;
      void message.reply({
        content: `<@${memberId}> is first`,
        embeds: [{ title: 'Leaderboard', description: `**2.** <@!${ben.id}> · <@12345678901234567>` }],
      });
    });
    const answer = await say({ channel_id: channelId, author_id: memberId, content: '!lb' });
    // An id the emulator does not know (a user of another server) is left out, as Discord shows it raw.
    expect(answer.body.users).toEqual({ [memberId]: 'you', [ben.id]: 'Ben' });
  });

  it("sends @name of a member as the mention <@id>, as Discord's client does, and other text as typed", async () => {
    const ben = emu.createUser({ username: 'ben_01', globalName: 'Ben' });
    emu.addMember(guildId, ben.id);
    // A user of another server only: Discord's list offers the channel's members alone.
    emu.addMember(emu.createGuild({ name: 'Elsewhere' }).id, emu.createUser({ username: 'cleo' }).id);
    const answer = await say({
      channel_id: channelId,
      author_id: memberId,
      content: '!balance @BEN @you @ben_01 @cleo a@you @nobody',
      timeout_ms: 200,
    });
    expect(answer.status).toBe(200);
    const posted = emu.messagesIn(channelId).find((message) => message.id === answer.body.message_id);
    expect(posted?.content).toBe(`!balance <@${ben.id}> <@${memberId}> <@${ben.id}> @cleo a@you @nobody`);
  });

  it('answers reply null when the bot does not reply within timeout_ms', async () => {
    client = await loginTestClient(emu);
    const answer = await say({
      channel_id: channelId,
      author_id: memberId,
      content: 'hello',
      timeout_ms: 200,
    });
    expect(answer).toEqual({ status: 200, body: { message_id: expect.any(String), reply: null } });
    expect(emu.messagesIn(channelId).map((message) => message.content)).toEqual(['hello']);
  });

  it.each([
    ['not JSON', '{', 'JSON'],
    ['not an object', [1], 'JSON object'],
    ['no channel', { author_id: '1', content: 'x' }, 'channel_id'],
    ['blank content', { channel_id: '1', author_id: '1', content: '  ' }, 'content'],
    [
      'a timeout past a minute',
      { channel_id: '1', author_id: '1', content: 'x', timeout_ms: 60_001 },
      'timeout_ms',
    ],
  ])('refuses a body that is %s with 400, posting nothing', async (_name, body, field) => {
    const answer = await say(body);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toContain(field);
    expect(emu.messagesIn(channelId)).toEqual([]);
  });

  it('answers 404 for an unknown channel or route and 405 for another method, recording none as a Discord call', async () => {
    expect(await say({ channel_id: '42', author_id: memberId, content: 'x' })).toEqual({
      status: 404,
      body: { error: 'Unknown channel 42.' },
    });
    expect((await fetch(`${emu.controlUrl}/shout`, { method: 'POST' })).status).toBe(404);
    const get = await fetch(`${emu.controlUrl}/say`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect(emu.calls).toEqual([]);
  });
});
