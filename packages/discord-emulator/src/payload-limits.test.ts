import { type ChatInputCommandInteraction, type Client, DiscordAPIError, type Interaction } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiscordEmulator } from './emulator.js';
import { loginTestClient } from './test-client.js';

let emu: DiscordEmulator;
let client: Client<true> | undefined;
let guildId: string;
let channelId: string;
let memberId: string;
let now = 0;

beforeEach(async () => {
  now = 1_000_000;
  emu = await DiscordEmulator.start({ interactionClock: () => now });
  guildId = emu.createGuild({ name: 'Trading Floor' }).id;
  channelId = emu.createChannel(guildId, { name: 'daily-plans' }).id;
  memberId = emu.createUser({ username: 'member' }).id;
  emu.addMember(guildId, memberId);
});

afterEach(async () => {
  await client?.destroy();
  client = undefined;
  await emu.stop();
});

const asBot = () => ({ authorization: `Bot ${emu.botToken}`, 'content-type': 'application/json' });

async function post(path: string, body: unknown, method = 'POST') {
  const response = await fetch(`${emu.restUrl}/v10${path}`, {
    method,
    headers: asBot(),
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The error tree of a string longer than `max`. */
const tooLong = (max: number) => ({
  _errors: [{ code: 'BASE_TYPE_BAD_LENGTH', message: expect.stringContaining(`${max} `) }],
});

describe("Discord's limits on a message", () => {
  it('refuses content over 2000 characters with 400 Invalid Form Body and stores nothing', async () => {
    const answer = await post(`/channels/${channelId}/messages`, { content: 'x'.repeat(2001) });
    expect(answer).toEqual({
      status: 400,
      body: {
        message: 'Invalid Form Body',
        code: 50035,
        errors: {
          content: {
            _errors: [{ code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be 2000 or fewer in length.' }],
          },
        },
      },
    });
    expect(emu.messagesIn(channelId)).toEqual([]);
  });

  it('counts characters, not UTF-16 units: 2000 emoji fit', async () => {
    const answer = await post(`/channels/${channelId}/messages`, { content: '📈'.repeat(2000) });
    expect(answer.status).toBe(200);
  });

  it('refuses an embed over its field limits, and embeds over 6000 characters together', async () => {
    const answer = await post(`/channels/${channelId}/messages`, {
      embeds: [
        {
          title: 't'.repeat(257),
          description: 'd'.repeat(4000),
          fields: [
            { name: 'n', value: 'v'.repeat(1025) },
            { name: '', value: 'v' },
          ],
          footer: { text: 'f'.repeat(2049) },
        },
      ],
    });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual({
      embeds: {
        _errors: [{ code: 'MAX_EMBED_SIZE_EXCEEDED', message: 'Embed size exceeds maximum size of 6000' }],
        0: {
          title: tooLong(256),
          footer: { text: tooLong(2048) },
          fields: {
            0: { value: tooLong(1024) },
            1: { name: { _errors: [expect.objectContaining({ code: 'BASE_TYPE_REQUIRED' })] } },
          },
        },
      },
    });
    const split = await post(`/channels/${channelId}/messages`, {
      embeds: [{ description: 'd'.repeat(4000) }, { description: 'd'.repeat(2001) }],
    });
    expect(split.body.errors).toEqual({
      embeds: { _errors: [expect.objectContaining({ code: 'MAX_EMBED_SIZE_EXCEEDED' })] },
    });
    const eleven = await post(`/channels/${channelId}/messages`, { embeds: Array(11).fill({ title: 'a' }) });
    expect(eleven.body.errors).toEqual({
      embeds: { _errors: [expect.objectContaining({ code: 'BASE_TYPE_MAX_LENGTH' })] },
    });
  });

  it('refuses a sixth row, a sixth button, a select menu sharing its row, duplicate and long custom ids', async () => {
    const button = (id: string) => ({ type: 2, style: 1, label: id, custom_id: id });
    const rows = (count: number) =>
      Array.from({ length: count }, (_, row) => ({ type: 1, components: [button(`b${row}`)] }));
    expect((await post(`/channels/${channelId}/messages`, { components: rows(6) })).body.errors).toEqual({
      components: { _errors: [expect.objectContaining({ code: 'BASE_TYPE_MAX_LENGTH' })] },
    });
    const answer = await post(`/channels/${channelId}/messages`, {
      components: [
        { type: 1, components: ['a', 'b', 'c', 'd', 'e', 'f'].map(button) },
        {
          type: 1,
          components: [
            button('a'),
            {
              type: 3,
              custom_id: 's',
              options: Array.from({ length: 26 }, (_, i) => ({ label: `${i}`, value: `${i}` })),
            },
          ],
        },
        { type: 1, components: [{ ...button('x'.repeat(101)), label: 'l'.repeat(81) }] },
      ],
    });
    expect(answer.body.errors).toEqual({
      components: {
        0: { components: { _errors: [expect.objectContaining({ code: 'BASE_TYPE_MAX_LENGTH' })] } },
        1: {
          components: {
            _errors: [expect.objectContaining({ code: 'COMPONENT_LAYOUT_WIDTH_EXCEEDED' })],
            0: {
              custom_id: { _errors: [expect.objectContaining({ code: 'COMPONENT_CUSTOM_ID_DUPLICATED' })] },
            },
            1: { options: { _errors: [expect.objectContaining({ code: 'BASE_TYPE_MAX_LENGTH' })] } },
          },
        },
        2: { components: { 0: { custom_id: tooLong(100), label: tooLong(80) } } },
      },
    });
  });

  it('refuses an edit that breaks a limit and keeps the message as it was', async () => {
    const created = await post(`/channels/${channelId}/messages`, { content: 'short' });
    const edit = await post(
      `/channels/${channelId}/messages/${String(created.body.id)}`,
      { content: 'x'.repeat(2001) },
      'PATCH',
    );
    expect(edit.status).toBe(400);
    expect(emu.messagesIn(channelId)).toMatchObject([{ content: 'short' }]);
  });
});

describe('interaction answers', () => {
  async function slashCommand(handle: (interaction: ChatInputCommandInteraction) => Promise<unknown>) {
    client ??= await loginTestClient(emu);
    const outcome = new Promise<unknown>((resolve) => {
      client!.once('interactionCreate', (interaction: Interaction) => {
        if (interaction.isChatInputCommand()) handle(interaction).then(resolve, resolve);
      });
    });
    const { interactionId } = await emu.invokeSlashCommand({
      guildId,
      channelId,
      userId: memberId,
      commandName: 'x',
    });
    return { interactionId, outcome: await outcome };
  }

  it('refuses a reply over the limits without acknowledging, so a valid reply still goes through', async () => {
    const { interactionId, outcome } = await slashCommand(async (interaction) => {
      const refused = await interaction.reply({ content: 'x'.repeat(2001) }).catch((error: unknown) => error);
      await interaction.reply({ content: 'fits' });
      return refused;
    });
    expect(outcome).toBeInstanceOf(DiscordAPIError);
    expect((outcome as DiscordAPIError).code).toBe(50035);
    expect((outcome as DiscordAPIError).rawError).toMatchObject({
      errors: { data: { content: tooLong(2000) } },
    });
    expect(emu.interactionResponses(interactionId)).toMatchObject([
      { callbackType: 4, body: { data: { content: 'fits' } } },
    ]);
  });

  it('refuses a second answer with 40060 and an answer after 3 s with 10062 Unknown interaction', async () => {
    const twice = await slashCommand(async (interaction) => {
      await interaction.deferReply();
      // discord.js refuses a second reply itself; the raw callback is what another library would send.
      return client!.rest
        .post(`/interactions/${interaction.id}/${interaction.token}/callback`, {
          body: { type: 4, data: { content: 'again' } },
        })
        .catch((error: unknown) => error);
    });
    expect((twice.outcome as DiscordAPIError).code).toBe(40060);
    const late = await slashCommand(async (interaction) => {
      now += 3_001;
      return interaction.reply({ content: 'too late' }).catch((error: unknown) => error);
    });
    expect((late.outcome as DiscordAPIError).status).toBe(404);
    expect((late.outcome as DiscordAPIError).code).toBe(10062);
  });

  it('lets a deferred answer be edited for 15 minutes, then answers 401 Invalid Webhook Token', async () => {
    const { outcome } = await slashCommand(async (interaction) => {
      await interaction.deferReply();
      now += 14 * 60_000;
      await interaction.editReply({ content: 'still in time' });
      now += 2 * 60_000;
      return interaction.followUp({ content: 'too late' }).catch((error: unknown) => error);
    });
    expect((outcome as DiscordAPIError).status).toBe(401);
    expect((outcome as DiscordAPIError).code).toBe(50027);
  });

  it('refuses more than 25 autocomplete choices and a modal title over 45 characters', async () => {
    client = await loginTestClient(emu);
    const refusals = new Promise<unknown[]>((resolve) => {
      client!.once('interactionCreate', async (interaction: Interaction) => {
        if (!interaction.isAutocomplete()) return;
        const choices = Array.from({ length: 26 }, (_, i) => ({ name: `c${i}`, value: `${i}` }));
        const tooMany = await interaction.respond(choices).catch((error: unknown) => error);
        await interaction.respond(choices.slice(0, 25));
        resolve([tooMany]);
      });
    });
    await emu.invokeAutocomplete({
      guildId,
      channelId,
      userId: memberId,
      commandName: 'x',
      options: [{ type: 3, name: 'q', value: '', focused: true }],
    });
    const [tooMany] = await refusals;
    expect((tooMany as DiscordAPIError).rawError).toMatchObject({
      code: 50035,
      errors: { data: { choices: { _errors: [expect.objectContaining({ code: 'BASE_TYPE_MAX_LENGTH' })] } } },
    });

    const { outcome } = await slashCommand((interaction) =>
      interaction
        .showModal({
          title: 'T'.repeat(46),
          custom_id: 'm',
          components: [
            { type: 1, components: [{ type: 4, custom_id: 'a', label: 'L'.repeat(46), style: 1 }] },
          ],
        })
        .catch((error: unknown) => error),
    );
    expect((outcome as DiscordAPIError).rawError).toMatchObject({
      errors: {
        data: { title: tooLong(45), components: { 0: { components: { 0: { label: tooLong(45) } } } } },
      },
    });
  });
});

describe('command registration', () => {
  const command = (overrides: Record<string, unknown>) => ({
    name: 'plan',
    description: 'Plans',
    ...overrides,
  });

  it("refuses commands that break Discord's rules, naming each by its place", async () => {
    client = await loginTestClient(emu);
    const error = (await client.application.commands
      .set([
        command({ name: 'Plan' }),
        command({
          name: 'market',
          description: 'd'.repeat(101),
          options: [
            { type: 3, name: 'note', description: 'optional' },
            { type: 3, name: 'question', description: 'required after an optional one', required: true },
            {
              type: 3,
              name: 'pick',
              description: 'too many choices',
              choices: Array.from({ length: 26 }, (_, i) => ({ name: `c${i}`, value: `${i}` })),
            },
          ],
        }),
        command({ name: 'market' }),
      ] as never)
      .catch((caught: unknown) => caught)) as DiscordAPIError;
    expect(error.code).toBe(50035);
    expect(error.rawError).toMatchObject({
      errors: {
        0: { name: { _errors: [expect.objectContaining({ code: 'APPLICATION_COMMAND_INVALID_NAME' })] } },
        1: {
          description: tooLong(100),
          options: {
            1: {
              required: {
                _errors: [expect.objectContaining({ code: 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID' })],
              },
            },
            2: { choices: { _errors: [expect.objectContaining({ code: 'BASE_TYPE_MAX_LENGTH' })] } },
          },
        },
        2: { name: { _errors: [expect.objectContaining({ code: 'APPLICATION_COMMANDS_DUPLICATE_NAME' })] } },
      },
    });
    expect(emu.registeredCommands()).toEqual([]);
  });

  it('accepts a command with subcommands, unicode names and 25 choices', async () => {
    client = await loginTestClient(emu);
    await client.application.commands.set([
      command({
        options: [
          {
            type: 1,
            name: 'zeige',
            description: 'Show',
            options: [
              {
                type: 3,
                name: 'größe',
                description: 'Size',
                required: true,
                choices: Array.from({ length: 25 }, (_, i) => ({ name: `c${i}`, value: `${i}` })),
              },
              { type: 4, name: 'n', description: 'Count' },
            ],
          },
        ],
      }),
    ] as never);
    expect(emu.registeredCommands()).toMatchObject([{ name: 'plan' }]);
  });
});
