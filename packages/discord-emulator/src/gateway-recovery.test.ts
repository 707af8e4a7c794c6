import { once } from 'node:events';
import type { Client, Message, TextChannel } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { DiscordEmulator } from './emulator.js';
import { createTestClient, loginTestClient } from './test-client.js';

let emu: DiscordEmulator;
let client: Client | undefined;
let channelId: string;
let coachId: string;

beforeEach(async () => {
  emu = await DiscordEmulator.start();
  const guildId = emu.createGuild({ name: 'Trading Floor' }).id;
  channelId = emu.createChannel(guildId, { name: 'daily-plans' }).id;
  coachId = emu.createUser({ username: 'coach_ben' }).id;
  emu.addMember(guildId, coachId);
});

afterEach(async () => {
  await client?.destroy();
  client = undefined;
  await emu.stop();
});

describe('gateway recovery and REST faults', () => {
  it('resumes after a resumable drop and replays the message sent while disconnected', async () => {
    client = await loginTestClient(emu);
    const received = once(client, 'messageCreate') as Promise<[Message]>;
    emu.dropConnection({ resumable: true });
    // Sent while the client is reconnecting: only a correct RESUME replay delivers it.
    await emu.sendMessage({ channelId, authorId: coachId, content: 'sent during the outage' });
    await emu.waitForResume(1);
    const [message] = await received;
    expect(message.content).toBe('sent during the outage');
    expect(emu.resumeCount).toBe(1);
    expect(emu.identifyCount).toBe(1);
    await (client.channels.cache.get(channelId) as TextChannel).send('still working');
    expect(emu.messagesIn(channelId).at(-1)?.content).toBe('still working');
  });

  it('re-identifies after a non-resumable drop and keeps receiving messages', async () => {
    client = await loginTestClient(emu);
    emu.dropConnection({ resumable: false });
    await emu.waitForIdentify(2);
    const received = once(client, 'messageCreate') as Promise<[Message]>;
    await emu.sendMessage({ channelId, authorId: coachId, content: 'after re-identify' });
    const [message] = await received;
    expect(message.content).toBe('after re-identify');
    expect(emu.resumeCount).toBe(0);
    expect(emu.connections).toBe(1);
  });

  it('answers 429 and discord.js waits it out, so the message still goes through', async () => {
    client = await loginTestClient(emu);
    const route = 'POST /channels/:channelId/messages';
    emu.rateLimitNext(1, { retryAfterSeconds: 0.2, route });
    const sent = await (client.channels.cache.get(channelId) as TextChannel).send('plan after the limit');
    expect(sent.content).toBe('plan after the limit');
    expect(emu.calls.filter((call) => call.route === route).map((call) => call.status)).toEqual([429, 200]);
    expect(emu.messagesIn(channelId).map((message) => message.content)).toEqual(['plan after the limit']);
  });

  it('rejects a wrong token on REST, so login fails at once', async () => {
    client = createTestClient(emu);
    await expect(client.login('not-the-token')).rejects.toMatchObject({ code: 'TokenInvalid' });
    expect(emu.calls).toMatchObject([{ route: 'GET /gateway/bot', status: 401 }]);
    expect(emu.identifyCount).toBe(0);
  });

  it('closes the gateway with 4004 when IDENTIFY carries a wrong token', async () => {
    const socket = new WebSocket(`${emu.gatewayUrl}?v=10&encoding=json`);
    const [hello] = (await once(socket, 'message')) as [Buffer];
    expect(JSON.parse(hello.toString())).toMatchObject({ op: 10, d: { heartbeat_interval: 41_250 } });
    const closed = once(socket, 'close') as Promise<[number]>;
    socket.send(JSON.stringify({ op: 2, d: { token: 'not-the-token', intents: 0, properties: {} } }));
    const [code] = await closed;
    expect(code).toBe(4004);
    expect(emu.identifyCount).toBe(0);
  });
});
