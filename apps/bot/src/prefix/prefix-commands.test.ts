import { loadConfig } from '@coachwire/config';
import { InMemoryPlanRepository, StorageUnavailableError, systemClock } from '@coachwire/core';
import { createServices } from '@coachwire/runtime';
import fc from 'fast-check';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createBotContext } from '../start-bot.js';
import type { BotReply } from '../util/bot-reply.js';
import type { IncomingMessage } from './incoming-message.js';
import { handlePrefixMessage } from './prefix-commands.js';

function makeContext(
  overrides: Parameters<typeof loadConfig>[0] = {},
  repository = new InMemoryPlanRepository(),
) {
  const config = loadConfig({
    env: {},
    argv: [],
    overrides: {
      rate_limits: {
        bot_per_user: { max: 3, window_seconds: 60 },
        bot_per_guild: { max: 100, window_seconds: 60 },
      },
    },
    ...overrides,
  });
  const services = createServices({ config, repositories: { plans: repository }, clock: systemClock });
  return createBotContext({ config, services, logger: pino({ level: 'silent' }) });
}

function message(content: string, overrides: Partial<IncomingMessage> = {}): IncomingMessage {
  return {
    messageId: '900',
    content,
    authorId: '111',
    authorName: 'dana',
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

function allText(reply: BotReply | null): string {
  if (!reply) return '';
  return [
    reply.content ?? '',
    ...reply.views.flatMap((view) => [view.title, view.description, ...view.fields.map((f) => f.value)]),
  ].join('\n');
}

describe('handlePrefixMessage (no Discord)', () => {
  it('posts a plan and answers with its view', async () => {
    const context = makeContext();
    const reply = await handlePrefixMessage(context, message('!plan d: hello'));
    expect(reply?.views[0]?.title).toContain('Coach D (Day Trading)');
    expect((await context.service.find('d'))?.sourceMessageId).toBe('900');
  });

  it('answers a malformed command with the usage line and never throws', async () => {
    const reply = await handlePrefixMessage(makeContext(), message('!edit'));
    expect(reply?.content).toContain('Usage: `!edit <coach> [YYYY-MM-DD] <new text>');
    expect(reply?.ephemeral).toBe(true);
  });

  it('leaves other messages, bots and unlisted guilds alone', async () => {
    const listening = makeContext({ overrides: { discord: { guild_ids: ['999'] } } });
    expect(await handlePrefixMessage(makeContext(), message('hello !plan d: x'))).toBeNull();
    expect(await handlePrefixMessage(makeContext(), message('!plan d: x', { authorIsBot: true }))).toBeNull();
    expect(await handlePrefixMessage(listening, message('!help'))).toBeNull();
    expect(await handlePrefixMessage(listening, message('!help', { guildId: '999' }))).not.toBeNull();
  });

  it('honours a configured prefix', async () => {
    const context = makeContext({ overrides: { discord: { prefix: '$' } } });
    expect(await handlePrefixMessage(context, message('!help'))).toBeNull();
    expect(allText(await handlePrefixMessage(context, message('$help')))).toContain('$plan <coach>');
  });

  it('tells the user the plan was not saved, with an error id and not where the database is, when storage is unavailable', async () => {
    const repository = new InMemoryPlanRepository();
    const context = makeContext({}, repository);
    repository.getLive = () =>
      Promise.reject(
        new StorageUnavailableError('Cannot read the PostgreSQL database at db.internal:5432/cw.'),
      );
    const reply = await handlePrefixMessage(context, message('!plan d: important'));
    expect(reply?.content).toMatch(
      /^⚠️ The database is not answering right now, so nothing was saved\. Try again in a moment; if it keeps failing, tell an admin the error id [0-9a-f]{10}\.$/,
    );
    expect(reply?.content).not.toContain('db.internal');
  });

  it('answers an unexpected failure with an error id and no stack trace', async () => {
    const repository = new InMemoryPlanRepository();
    const context = makeContext({}, repository);
    repository.list = () => Promise.reject(new Error('boom at secret.ts:12'));
    const reply = await handlePrefixMessage(context, message('!plans'));
    expect(reply?.content).toMatch(/error id [0-9a-f]{10}/);
    expect(reply?.content).not.toContain('boom');
  });

  it('limits a user after the configured number of commands, but not an admin', async () => {
    const context = makeContext();
    for (let n = 0; n < 3; n++)
      expect((await handlePrefixMessage(context, message('!help')))?.content).toBeUndefined();
    expect((await handlePrefixMessage(context, message('!help')))?.content).toMatch(/Try again in \d+ s/);
    const admin = message('!help', { authorId: '555', hasAdminPermission: true });
    for (let n = 0; n < 5; n++) expect((await handlePrefixMessage(context, admin))?.content).toBeUndefined();
  });

  it('never crashes on random message contents, and never shows a stack trace', async () => {
    const context = makeContext({
      overrides: {
        rate_limits: {
          bot_per_user: { max: 100_000, window_seconds: 60 },
          bot_per_guild: { max: 100_000, window_seconds: 60 },
        },
      },
    });
    const commandish = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc
        .tuple(
          fc.constantFrom(
            '!plan',
            '!edit',
            '!delete',
            '!plans',
            '!myplans',
            '!history',
            '!help',
            '!PLAN',
            '!',
          ),
          fc.constantFrom(' ', '', '  ', '\n'),
          fc.constantFrom('d', 'D:', 'coach_i', 'x', '#1', '12', '2026-02-30', '2026-01-05', ''),
          fc.string({ maxLength: 200 }),
        )
        .map((parts) => parts.join('')),
      fc.string({ minLength: 3990, maxLength: 4020 }).map((text) => `!plan d: ${text}`),
    );
    await fc.assert(
      fc.asyncProperty(commandish, fc.boolean(), async (content, admin) => {
        const reply = await handlePrefixMessage(context, message(content, { hasAdminPermission: admin }));
        const text = allText(reply);
        expect(text).not.toMatch(/\n\s+at .+:\d+/);
        expect(text).not.toMatch(/TypeError|ReferenceError/);
      }),
      { numRuns: 300 },
    );
  });
});
