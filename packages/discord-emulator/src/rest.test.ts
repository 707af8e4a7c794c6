import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiscordEmulator } from './emulator.js';

let emu: DiscordEmulator;
let channelId: string;

beforeEach(async () => {
  emu = await DiscordEmulator.start({ botToken: 'secret-token' });
  const guildId = emu.createGuild({ name: 'Trading Floor' }).id;
  channelId = emu.createChannel(guildId, { name: 'daily-plans' }).id;
});

afterEach(async () => {
  await emu.stop();
});

const asBot = { authorization: 'Bot secret-token', 'content-type': 'application/json' };

describe('the emulated REST API', () => {
  it('records an unknown route and answers 404 in Discord error form', async () => {
    const response = await fetch(`${emu.restUrl}/v10/guilds/1/bans`, { headers: asBot });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: '404: Not Found', code: 0 });
    expect(emu.unknownCalls).toMatchObject([{ method: 'GET', path: '/guilds/1/bans', status: 404 }]);
  });

  it('answers 401 without the bot token and never records the Authorization header', async () => {
    const response = await fetch(`${emu.restUrl}/v10/channels/${channelId}`);
    expect(response.status).toBe(401);
    expect(JSON.stringify(emu.calls)).not.toContain('secret-token');
  });

  it('answers 404 with Unknown Channel for a channel that does not exist', async () => {
    const response = await fetch(`${emu.restUrl}/v10/channels/42/messages`, {
      method: 'POST',
      headers: asBot,
      body: JSON.stringify({ content: 'hi' }),
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: 'Unknown Channel', code: 10003 });
  });

  it('takes a multipart message, keeps payload_json as the body and serves the file', async () => {
    const form = new FormData();
    form.append('payload_json', JSON.stringify({ content: 'chart attached' }));
    form.append('files[0]', new Blob([Buffer.from('png-bytes')], { type: 'image/png' }), 'chart.png');
    const response = await fetch(`${emu.restUrl}/v10/channels/${channelId}/messages`, {
      method: 'POST',
      headers: { authorization: 'Bot secret-token' },
      body: form,
    });
    const message = (await response.json()) as {
      content: string;
      attachments: { url: string; size: number }[];
    };
    expect(message.content).toBe('chart attached');
    expect(emu.calls.at(-1)).toMatchObject({
      route: 'POST /channels/:channelId/messages',
      body: { content: 'chart attached' },
      files: [{ filename: 'chart.png', contentType: 'image/png', size: 9 }],
    });
    const download = await fetch(message.attachments[0]!.url);
    expect(await download.text()).toBe('png-bytes');
  });

  it('sends Discord rate-limit headers and body with an injected 429', async () => {
    emu.rateLimitNext(1, { retryAfterSeconds: 2.5 });
    const response = await fetch(`${emu.restUrl}/v10/channels/${channelId}`, { headers: asBot });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('2.5');
    expect(response.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(await response.json()).toEqual({
      message: 'You are being rate limited.',
      retry_after: 2.5,
      global: false,
    });
    const next = await fetch(`${emu.restUrl}/v10/channels/${channelId}`, { headers: asBot });
    expect(next.status).toBe(200);
  });

  it('resolves waitForCall on a call made after it started waiting', async () => {
    const waiting = emu.waitForCall((call) => call.route === 'POST /channels/:channelId/typing');
    await fetch(`${emu.restUrl}/v10/channels/${channelId}/typing`, { method: 'POST', headers: asBot });
    await expect(waiting).resolves.toMatchObject({ path: `/channels/${channelId}/typing`, status: 204 });
  });

  it('rejects waitForCall after its timeout, listing the calls it saw', async () => {
    await expect(emu.waitForCall(() => false, { timeoutMs: 50 })).rejects.toThrow(/calls so far: none/);
  });
});
