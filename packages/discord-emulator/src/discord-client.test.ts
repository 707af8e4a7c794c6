import { once } from 'node:events';
import type { Client, Message } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiscordEmulator } from './emulator.js';
import { makePng } from './png.js';
import { loginTestClient } from './test-client.js';

let emu: DiscordEmulator;
let client: Client<true> | undefined;
let guildId: string;
let channelId: string;
let coachId: string;

beforeEach(async () => {
  emu = await DiscordEmulator.start();
  const guild = emu.createGuild({ name: 'Trading Floor' });
  guildId = guild.id;
  channelId = emu.createChannel(guildId, { name: 'daily-plans' }).id;
  coachId = emu.createUser({ username: 'coach_ana', globalName: 'Ana' }).id;
  emu.addMember(guildId, coachId);
});

afterEach(async () => {
  await client?.destroy();
  client = undefined;
  await emu.stop();
});

describe('discord.js against the emulator', () => {
  it('logs in and emits clientReady with the guild, its channel and members cached', async () => {
    client = await loginTestClient(emu);
    expect(client.user.id).toBe(emu.botUser.id);
    const guild = client.guilds.cache.get(guildId);
    expect(guild?.name).toBe('Trading Floor');
    expect(guild?.channels.cache.get(channelId)?.name).toBe('daily-plans');
    expect(guild?.members.cache.get(coachId)?.user.username).toBe('coach_ana');
    expect(emu.identifyCount).toBe(1);
    expect(emu.unknownCalls).toEqual([]);
  });

  it('delivers a message with an image attachment whose URL serves the bytes', async () => {
    client = await loginTestClient(emu);
    const received = once(client, 'messageCreate') as Promise<[Message]>;
    const png = makePng(64, 48);
    await emu.sendMessage({
      channelId,
      authorId: coachId,
      content: 'Plan: long above 5000',
      attachments: [{ filename: 'chart.png', contentType: 'image/png', data: png, width: 64, height: 48 }],
    });
    const [message] = await received;
    expect(message.content).toBe('Plan: long above 5000');
    expect(message.author.id).toBe(coachId);
    expect(message.member?.id).toBe(coachId);
    const attachment = message.attachments.first();
    expect(attachment).toMatchObject({
      name: 'chart.png',
      contentType: 'image/png',
      size: png.length,
      width: 64,
    });
    const download = await fetch(attachment!.url);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await download.arrayBuffer()).equals(png)).toBe(true);
  });

  it('records message.reply as a message referencing the original', async () => {
    client = await loginTestClient(emu);
    client.on('messageCreate', (message) => {
      if (!message.author.bot) void message.reply('Saved your plan');
    });
    const original = await emu.sendMessage({ channelId, authorId: coachId, content: 'my plan' });
    const call = await emu.waitForCall((c) => c.route === 'POST /channels/:channelId/messages');
    expect(call.body).toMatchObject({
      content: 'Saved your plan',
      message_reference: { message_id: original.id },
    });
    const messages = emu.messagesIn(channelId);
    expect(messages.map((m) => m.content)).toEqual(['my plan', 'Saved your plan']);
    expect(messages[1]).toMatchObject({ type: 19, author: { id: emu.botUser.id } });
  });

  it('records an interaction reply, then deferReply + editReply + followUp, in order', async () => {
    client = await loginTestClient(emu);
    client.on('interactionCreate', async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      if (interaction.commandName === 'ping') {
        await interaction.reply({ content: 'pong', flags: 64 });
        return;
      }
      await interaction.deferReply();
      await interaction.editReply(`plan for ${interaction.options.getString('date')}`);
      await interaction.followUp('anything else?');
    });

    const ping = await emu.invokeSlashCommand({ guildId, channelId, userId: coachId, commandName: 'ping' });
    await emu.waitForCall((c) => c.route === 'POST /interactions/:interactionId/:token/callback');
    expect(emu.interactionResponses(ping.interactionId)).toMatchObject([
      { kind: 'callback', callbackType: 4, body: { type: 4, data: { content: 'pong', flags: 64 } } },
    ]);

    const plan = await emu.invokeSlashCommand({
      guildId,
      channelId,
      userId: coachId,
      commandName: 'plan',
      options: [{ name: 'show', type: 1, options: [{ name: 'date', type: 3, value: '2025-01-06' }] }],
    });
    await emu.waitForCall((c) => c.route === 'POST /webhooks/:applicationId/:token');
    const responses = emu.interactionResponses(plan.interactionId);
    expect(responses.map((r) => r.kind)).toEqual(['callback', 'editOriginal', 'followUp']);
    expect(responses[0]?.callbackType).toBe(5);
    expect(responses[1]?.body).toMatchObject({ content: 'plan for 2025-01-06' });
    expect(responses[2]?.body).toMatchObject({ content: 'anything else?' });
    const original = emu.messagesIn(channelId).find((m) => m.id === responses[0]?.messageId);
    expect(original).toMatchObject({ content: 'plan for 2025-01-06', flags: 0 });
  });

  it('gives slash commands their attachment option and member permissions from roles', async () => {
    const moderator = emu.createRole(guildId, { name: 'Moderator', permissions: 1n << 13n });
    emu.addMember(guildId, coachId, { roles: [moderator.id] });
    client = await loginTestClient(emu);
    const chart = emu.uploadAttachment(channelId, {
      filename: 'es.png',
      contentType: 'image/png',
      data: makePng(8, 8),
    });
    const seen = new Promise<{ url: string | undefined; canManage: boolean | undefined }>((resolve) => {
      client!.on('interactionCreate', async (interaction) => {
        if (!interaction.isChatInputCommand()) return;
        resolve({
          url: interaction.options.getAttachment('chart')?.url,
          canManage: interaction.memberPermissions?.has('ManageMessages'),
        });
        await interaction.reply('ok');
      });
    });
    await emu.invokeSlashCommand({
      guildId,
      channelId,
      userId: coachId,
      commandName: 'post',
      options: [{ name: 'chart', type: 11, value: chart.id }],
    });
    await expect(seen).resolves.toEqual({ url: chart.url, canManage: true });
  });

  it('hands autocomplete and modal submissions to discord.js and records their callbacks', async () => {
    client = await loginTestClient(emu);
    client.on('interactionCreate', async (interaction) => {
      if (interaction.isAutocomplete()) {
        await interaction.respond([{ name: interaction.options.getFocused(), value: 'ana' }]);
      } else if (interaction.isModalSubmit()) {
        await interaction.reply(`got ${interaction.fields.getTextInputValue('plan-text')}`);
      }
    });
    const auto = await emu.invokeAutocomplete({
      guildId,
      channelId,
      userId: coachId,
      commandName: 'plan',
      options: [{ name: 'coach', type: 3, value: 'an', focused: true }],
    });
    const modal = await emu.submitModal({
      guildId,
      channelId,
      userId: coachId,
      customId: 'plan-modal',
      fields: { 'plan-text': 'buy dips' },
    });
    await emu.waitForCall((c) => c.path.startsWith(`/interactions/${modal.interactionId}/`));
    await emu.waitForCall((c) => c.path.startsWith(`/interactions/${auto.interactionId}/`));
    expect(emu.interactionResponses(auto.interactionId)[0]).toMatchObject({
      callbackType: 8,
      body: { data: { choices: [{ name: 'an', value: 'ana' }] } },
    });
    expect(emu.interactionResponses(modal.interactionId)[0]).toMatchObject({
      callbackType: 4,
      body: { data: { content: 'got buy dips' } },
    });
  });

  it('records global and guild command registration', async () => {
    client = await loginTestClient(emu);
    await client.application.commands.set([{ name: 'plan', description: 'Post a plan' }]);
    await client.application.commands.set([{ name: 'admin', description: 'Admin tools' }], guildId);
    expect(emu.registeredCommands()).toMatchObject([{ name: 'plan', application_id: emu.applicationId }]);
    expect(emu.registeredCommands({ guildId })).toMatchObject([{ name: 'admin', guild_id: guildId }]);
    expect(emu.calls.map((c) => c.route)).toContain(
      'PUT /applications/:applicationId/guilds/:guildId/commands',
    );
  });

  it('dispatches a guild created after login and a user edit as messageUpdate', async () => {
    client = await loginTestClient(emu);
    const guildCreated = once(client, 'guildCreate');
    const lateGuild = emu.createGuild({ name: 'Late Guild' });
    await guildCreated;
    expect(client.guilds.cache.get(lateGuild.id)?.name).toBe('Late Guild');

    const received = once(client, 'messageCreate');
    const posted = await emu.sendMessage({ channelId, authorId: coachId, content: 'first draft' });
    await received;
    const updated = once(client, 'messageUpdate') as Promise<[Message, Message]>;
    await emu.editMessage(channelId, String(posted.id), 'final plan');
    const [before, after] = await updated;
    expect([before.content, after.content]).toEqual(['first draft', 'final plan']);
    expect(after.editedTimestamp).not.toBeNull();
  });

  it('returns the callback resource for withResponse and stores files the bot uploads', async () => {
    client = await loginTestClient(emu);
    const replied = new Promise<string | undefined>((resolve) => {
      client!.on('interactionCreate', async (interaction) => {
        if (!interaction.isChatInputCommand()) return;
        const response = await interaction.reply({
          content: 'chart',
          files: [{ attachment: makePng(10, 20), name: 'chart.png' }],
          withResponse: true,
        });
        resolve(response.resource?.message?.attachments.first()?.url);
      });
    });
    await emu.invokeSlashCommand({ guildId, channelId, userId: coachId, commandName: 'chart' });
    const url = await replied;
    expect(emu.calls.at(-1)).toMatchObject({
      query: { with_response: 'true' },
      files: [{ filename: 'chart.png', contentType: 'image/png' }],
    });
    const download = Buffer.from(await (await fetch(url!)).arrayBuffer());
    expect(download.equals(makePng(10, 20))).toBe(true);
  });
});
