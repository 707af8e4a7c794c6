import { loadConfig } from '@coachwire/config';
import { InMemoryPlanRepository, systemClock } from '@coachwire/core';
import { createServices } from '@coachwire/runtime';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from '../prefix/incoming-message.js';
import { handlePrefixMessage } from '../prefix/prefix-commands.js';
import { createBotContext } from '../start-bot.js';
import { textReply } from '../util/bot-reply.js';
import { type BotCommand, defineCommand, type Precondition } from './bot-command.js';

// Commands made up for these specifications: each one echoes what it was given, under the stated preconditions.
function echo(name: string, preconditions: readonly Precondition[], aliases: string[] = []): BotCommand {
  return defineCommand<{ said: string }>({
    preconditions,
    prefix: { name, aliases, usage: `{p}${name} <words>`, parse: (rest) => ({ said: rest.trim() }) },
    execute: async (_context, invocation, { said }) =>
      textReply(`${name} by ${invocation.actor.id}: ${said}`),
  });
}

const commands = [
  echo('here', ['listening-here', 'rate-limited'], ['hr']),
  echo('anywhere', ['rate-limited']),
  echo('free', ['listening-here']),
  echo('admin', ['listening-here', 'admins-only']),
];

function context() {
  const config = loadConfig({
    env: {},
    argv: [],
    overrides: {
      discord: { channel_ids: ['333'] },
      admins: { user_ids: ['900'], role_ids: [] },
      rate_limits: {
        bot_per_user: { max: 2, window_seconds: 60 },
        bot_per_guild: { max: 100, window_seconds: 60 },
      },
    },
  });
  const services = createServices({
    config,
    repositories: { plans: new InMemoryPlanRepository() },
    clock: systemClock,
  });
  return createBotContext({ config, services, logger: pino({ level: 'silent' }), commands });
}

function message(content: string, overrides: Partial<IncomingMessage> = {}): IncomingMessage {
  return {
    messageId: '1',
    content,
    authorId: '111',
    authorName: 'olly',
    authorIsBot: false,
    guildId: '222',
    channelId: '333',
    channelName: 'trading-plans',
    roleIds: [],
    hasAdminPermission: false,
    attachments: [],
    ...overrides,
  };
}

describe('command preconditions, checked once by the router', () => {
  it('routes a prefix name and its aliases to the same command', async () => {
    const bot = context();
    expect((await handlePrefixMessage(bot, message('!here hi')))?.content).toBe('here by 111: hi');
    expect((await handlePrefixMessage(bot, message('!HR hi')))?.content).toBe('here by 111: hi');
  });

  it('ignores a listening-here command in another channel, and answers one without it anywhere', async () => {
    const bot = context();
    const elsewhere = { channelId: '999' };
    expect(await handlePrefixMessage(bot, message('!here hi', elsewhere))).toBeNull();
    expect((await handlePrefixMessage(bot, message('!anywhere hi', elsewhere)))?.content).toBe(
      'anywhere by 111: hi',
    );
  });

  it('counts rate-limited commands only', async () => {
    const bot = context();
    for (let i = 0; i < 5; i++)
      expect((await handlePrefixMessage(bot, message('!free x')))?.content).toBe('free by 111: x');
    await handlePrefixMessage(bot, message('!here 1'));
    await handlePrefixMessage(bot, message('!here 2'));
    expect((await handlePrefixMessage(bot, message('!here 3')))?.content).toContain(
      'sending commands too fast',
    );
  });

  it('refuses an admins-only command to a member and runs it for an admin', async () => {
    const bot = context();
    expect((await handlePrefixMessage(bot, message('!admin go')))?.content).toContain(
      'Only an admin can use this command.',
    );
    expect((await handlePrefixMessage(bot, message('!admin go', { authorId: '900' })))?.content).toBe(
      'admin by 900: go',
    );
  });
});
