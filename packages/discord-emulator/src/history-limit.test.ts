import { afterEach, describe, expect, it } from 'vitest';
import { DiscordEmulator } from './emulator.js';
import type { Json } from './entities.js';

let emu: DiscordEmulator | undefined;

afterEach(async () => {
  await emu?.stop();
  emu = undefined;
});

const asBot = { authorization: 'Bot emulator-token', 'content-type': 'application/json' };
const png = (text: string) => ({ filename: 'chart.png', contentType: 'image/png', data: Buffer.from(text) });

async function startWorld(historyLimit?: number) {
  emu = await DiscordEmulator.start(historyLimit === undefined ? {} : { historyLimit });
  const owner = emu.createUser({ username: 'owner' });
  const guildId = emu.createGuild({ name: 'Floor', ownerId: owner.id }).id;
  const channelId = emu.createChannel(guildId, { name: 'plans' }).id;
  const member = emu.createUser({ username: 'member' });
  emu.addMember(guildId, member.id);
  return { emu, guildId, channelId, memberId: member.id };
}

/** A bot reply through the interaction callback route; 404 once the emulator forgot the interaction. */
async function answer(world: DiscordEmulator, interaction: { interactionId: string; token: string }) {
  const url = `${world.restUrl}/v10/interactions/${interaction.interactionId}/${interaction.token}/callback`;
  const response = await fetch(url, {
    method: 'POST',
    headers: asBot,
    body: JSON.stringify({ type: 4, data: { content: 'ok' } }),
  });
  return response.status;
}

describe('the history limit of long runs', () => {
  it('keeps the newest messages of a channel and stops serving the files of the ones it forgot', async () => {
    const { emu, channelId, memberId } = await startWorld(3);
    const posted: Json[] = [];
    for (let n = 1; n <= 5; n++) {
      posted.push(
        await emu.sendMessage({
          channelId,
          authorId: memberId,
          content: `plan ${n}`,
          attachments: [png(`${n}`)],
        }),
      );
    }
    expect(emu.messagesIn(channelId).map((message) => message.content)).toEqual([
      'plan 3',
      'plan 4',
      'plan 5',
    ]);
    const fileOf = (message: Json) => fetch(String((message.attachments as { url: string }[])[0]!.url));
    expect((await fileOf(posted[0]!)).status).toBe(404);
    expect(await (await fileOf(posted[4]!)).text()).toBe('5');
  });

  it('keeps the newest REST calls and interactions', async () => {
    const { emu, guildId, channelId, memberId } = await startWorld(2);
    const origin = { guildId, channelId, userId: memberId };
    const first = await emu.invokeSlashCommand({ ...origin, commandName: 'plan' });
    const second = await emu.invokeSlashCommand({ ...origin, commandName: 'plan' });
    const third = await emu.invokeSlashCommand({ ...origin, commandName: 'plan' });
    expect(await answer(emu, first)).toBe(404);
    expect(await answer(emu, second)).toBe(204);
    expect(await answer(emu, third)).toBe(204);
    expect(emu.calls.map((call) => call.status)).toEqual([204, 204]);
  });

  it('keeps everything by default, for tests to inspect', async () => {
    const { emu, channelId, memberId } = await startWorld();
    for (let n = 1; n <= 5; n++) await emu.sendMessage({ channelId, authorId: memberId, content: `${n}` });
    expect(emu.messagesIn(channelId)).toHaveLength(5);
  });
});
