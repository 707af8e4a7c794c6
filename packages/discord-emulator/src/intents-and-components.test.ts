import { once } from 'node:events';
import { ButtonInteraction, Client, GatewayIntentBits, type Message, type TextChannel } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiscordEmulator } from './emulator.js';
import { loginTestClient } from './test-client.js';

let emu: DiscordEmulator;
let client: Client | undefined;
let guildId: string;
let channelId: string;
let coachId: string;

beforeEach(async () => {
  emu = await DiscordEmulator.start();
  guildId = emu.createGuild({ name: 'Trading Floor' }).id;
  channelId = emu.createChannel(guildId, { name: 'daily-plans' }).id;
  coachId = emu.createUser({ username: 'coach_cy' }).id;
  emu.addMember(guildId, coachId);
});

afterEach(async () => {
  await client?.destroy();
  client = undefined;
  await emu.stop();
});

describe('intents and message components', () => {
  it('blanks message content for a client without the MessageContent intent, unless it is mentioned', async () => {
    client = new Client({
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages],
      rest: { api: emu.restUrl },
    });
    const ready = once(client, 'clientReady');
    await client.login(emu.botToken);
    await ready;

    const plain = once(client, 'messageCreate') as Promise<[Message]>;
    await emu.sendMessage({ channelId, authorId: coachId, content: 'secret plan' });
    expect((await plain)[0].content).toBe('');

    const mention = once(client, 'messageCreate') as Promise<[Message]>;
    await emu.sendMessage({ channelId, authorId: coachId, content: `<@${emu.botUser.id}> help` });
    const [mentioned] = await mention;
    expect(mentioned.content).toBe(`<@${emu.botUser.id}> help`);
    expect(mentioned.mentions.users.has(emu.botUser.id)).toBe(true);
  });

  it('delivers a button click and applies the update to the message holding the button', async () => {
    const loggedIn = await loginTestClient(emu);
    client = loggedIn;
    const prompt = await (loggedIn.channels.cache.get(channelId) as TextChannel).send({
      content: 'Delete your plan?',
      components: [
        { type: 1, components: [{ type: 2, style: 4, label: 'Delete', custom_id: 'confirm-delete' }] },
      ],
    });
    const clicked = new Promise<string>((resolve) => {
      loggedIn.on('interactionCreate', async (interaction) => {
        if (!(interaction instanceof ButtonInteraction)) return;
        resolve(interaction.customId);
        await interaction.update({ content: 'Plan deleted', components: [] });
      });
    });
    const { interactionId } = await emu.clickButton({
      guildId,
      channelId,
      userId: coachId,
      messageId: prompt.id,
      customId: 'confirm-delete',
    });
    expect(await clicked).toBe('confirm-delete');
    await emu.waitForCall((call) => call.path.startsWith(`/interactions/${interactionId}/`));
    expect(emu.interactionResponses(interactionId)).toMatchObject([
      { callbackType: 7, messageId: prompt.id },
    ]);
    expect(emu.messagesIn(channelId)).toMatchObject([
      { id: prompt.id, content: 'Plan deleted', components: [] },
    ]);
  });

  it("refuses a click on a disabled or missing button, as Discord's client does, and shows the bot's edits", async () => {
    const loggedIn = await loginTestClient(emu);
    client = loggedIn;
    const channel = loggedIn.channels.cache.get(channelId) as TextChannel;
    const market = await channel.send({
      content: 'Market #1',
      components: [{ type: 1, components: [{ type: 2, style: 1, label: 'Bet Yes', custom_id: 'bet-yes' }] }],
    });
    await market.edit({
      content: 'Market #1 (closed)',
      components: [
        {
          type: 1,
          components: [{ type: 2, style: 1, label: 'Bet Yes', custom_id: 'bet-yes', disabled: true }],
        },
      ],
    });
    expect(emu.messagesIn(channelId)).toMatchObject([{ id: market.id, content: 'Market #1 (closed)' }]);
    const click = (customId: string) =>
      emu.clickButton({ guildId, channelId, userId: coachId, messageId: market.id, customId });
    await expect(click('bet-yes')).rejects.toThrow("Button 'bet-yes' is disabled.");
    await expect(click('bet-no')).rejects.toThrow(`Message ${market.id} has no button 'bet-no'.`);
  });
});
