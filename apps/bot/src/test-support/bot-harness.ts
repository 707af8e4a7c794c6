import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type CoachwireConfig, type DeepPartial, loadConfig } from '@coachwire/config';
import { BOT_HEARTBEAT_MAX_INTERVAL_SECONDS, type Clock, type Plan } from '@coachwire/core';
import {
  type AttachmentInput,
  DiscordEmulator,
  type EmulatedChannel,
  type EmulatedGuild,
  type EmulatedRole,
  type EmulatedUser,
  type EmulatorOptions,
  type Json,
  makePng,
  Permission,
  type RecordedCall,
} from '@coachwire/discord-emulator';
import { type Coachwire, openCoachwire } from '@coachwire/runtime';
import { type BotStatusPort, type CoachwireDatabase, sqliteDatabaseOf } from '@coachwire/storage';
import pino from 'pino';
import { type BotHandle, startBot } from '../start-bot.js';

/** The people of the test guild. */
export interface HarnessUsers {
  readonly coach: EmulatedUser;
  readonly other: EmulatedUser;
  /** Has the role configured in `admins.role_ids`. */
  readonly roleAdmin: EmulatedUser;
  /** Has a role with Discord's Manage Messages permission. */
  readonly moderator: EmulatedUser;
  /** Has the role the restricted coach `r` requires. */
  readonly restrictedCoach: EmulatedUser;
  readonly otherBot: EmulatedUser;
}

export interface BotHarness {
  readonly emu: DiscordEmulator;
  readonly bot: BotHandle;
  /** Stops the bot and starts a new one on the same database and emulator (a restart). */
  restart(): Promise<void>;
  readonly coachwire: Coachwire;
  readonly database: CoachwireDatabase;
  readonly repository: Coachwire['repositories']['plans'];
  readonly statusStore: BotStatusPort;
  readonly guild: EmulatedGuild;
  readonly channel: EmulatedChannel;
  /** A channel the bot is configured not to listen to. */
  readonly ignoredChannel: EmulatedChannel;
  readonly users: HarnessUsers;
  readonly roles: {
    readonly admin: EmulatedRole;
    readonly moderator: EmulatedRole;
    readonly coachR: EmulatedRole;
  };
  readonly config: CoachwireConfig;
  readonly savedPlans: Plan[];
  /** Sends a message as `user` and resolves with the bot's reply to it. */
  send(user: EmulatedUser, content: string, attachments?: AttachmentInput[]): Promise<PrefixExchange>;
  /** Runs `/plan <subcommand>` as `user` and resolves with the bot's final answer. */
  slash(user: EmulatedUser, subcommand: string, options?: Json[]): Promise<InteractionExchange>;
  close(): Promise<void>;
}

export interface PrefixExchange {
  readonly message: Json;
  readonly reply: RecordedCall;
  readonly body: ReplyBody;
}

export interface InteractionExchange {
  readonly interactionId: string;
  readonly token: string;
  readonly reply: RecordedCall;
  readonly body: ReplyBody;
}

/** The JSON body of a message the bot sent. */
export interface ReplyBody {
  content?: string;
  embeds?: {
    title?: string;
    description?: string;
    url?: string;
    image?: { url: string };
    fields?: { name: string; value: string }[];
  }[];
  flags?: number;
  message_reference?: { message_id?: string };
  type?: number;
  data?: ReplyBody & {
    custom_id?: string;
    title?: string;
    choices?: { name: string; value: string }[];
    components?: unknown[];
  };
}

/** An image attachment as a coach would upload it. */
export function pngAttachment(filename = 'chart.png', width = 64, height = 32): AttachmentInput {
  return { filename, contentType: 'image/png', data: makePng(width, height), width, height };
}

/** Everything the reply says, as one string (content, embed titles, descriptions and fields). */
export function replyText(body: ReplyBody): string {
  const parts = [body.content ?? '', body.data?.content ?? ''];
  for (const embed of [...(body.embeds ?? []), ...(body.data?.embeds ?? [])]) {
    parts.push(embed.title ?? '', embed.description ?? '');
    for (const field of embed.fields ?? []) parts.push(field.name, field.value);
  }
  return parts.join('\n');
}

const EPHEMERAL = 1 << 6;

/** True when the reply is visible to the invoking user only. */
export function isEphemeral(body: ReplyBody): boolean {
  return ((body.flags ?? body.data?.flags ?? 0) & EPHEMERAL) !== 0;
}

/** True for the call that carries an interaction's final answer: a reply, update, modal or choices callback, the edit of a deferred reply, or a follow-up. */
function isFinalInteractionCall(call: RecordedCall, token: string): boolean {
  if (!call.path.includes(token) || call.status >= 300) return false;
  if (call.route === 'POST /interactions/:interactionId/:token/callback') {
    const type = (call.body as { type?: number }).type;
    return type === 4 || type === 7 || type === 8 || type === 9;
  }
  return (
    call.route === 'PATCH /webhooks/:applicationId/:token/messages/@original' ||
    call.route === 'POST /webhooks/:applicationId/:token'
  );
}

/** Waits for the final answer to an interaction. */
export async function waitForInteractionReply(emu: DiscordEmulator, token: string): Promise<RecordedCall> {
  return emu.waitForCall((call) => isFinalInteractionCall(call, token), { timeoutMs: 10_000 });
}

/** Waits for the bot's reply to a message. */
export function waitForMessageReply(emu: DiscordEmulator, messageId: string): Promise<RecordedCall> {
  return emu.waitForReply(messageId, { timeoutMs: 10_000 });
}

export interface HarnessOptions {
  /** Extra configuration on top of the harness's (limits, prefix...). */
  readonly config?: DeepPartial<CoachwireConfig>;
  /** Run the real chart archiver (fetching from the emulator's CDN) instead of recording saved plans. */
  readonly archiveCharts?: boolean;
  /** The services' clock (market closes, trading days); the system clock by default. */
  readonly clock?: Clock;
  /** Options of the emulator, e.g. an interaction clock that enforces Discord's 3 s answer window. */
  readonly emulator?: EmulatorOptions;
}

/** Starts an emulator with a populated guild, a temp SQLite file and the real bot logged into it. */
export async function startHarness(options: HarnessOptions = {}): Promise<BotHarness> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'coachwire-bot-'));
  const emu = await DiscordEmulator.start(options.emulator);
  const owner = emu.createUser({ username: 'owner' });
  const guild = emu.createGuild({ name: 'Test Traders', ownerId: owner.id });
  const channel = emu.createChannel(guild.id, { name: 'trading-plans' });
  const ignoredChannel = emu.createChannel(guild.id, { name: 'off-topic' });
  const roles = {
    admin: emu.createRole(guild.id, { name: 'Plan Admin' }),
    moderator: emu.createRole(guild.id, { name: 'Moderator', permissions: Permission.ManageMessages }),
    coachR: emu.createRole(guild.id, { name: 'Coach R' }),
  };
  const member = (username: string, roleIds: string[] = [], bot = false) => {
    const user = emu.createUser({ username, globalName: username, bot });
    emu.addMember(guild.id, user.id, { roles: roleIds });
    return user;
  };
  const users: HarnessUsers = {
    coach: member('coach_dana'),
    other: member('other_olly'),
    roleAdmin: member('admin_ada', [roles.admin.id]),
    moderator: member('mod_mo', [roles.moderator.id]),
    restrictedCoach: member('coach_rita', [roles.coachR.id]),
    otherBot: member('other_bot', [], true),
  };
  const overrides: DeepPartial<CoachwireConfig> = {
    discord: {
      token: emu.botToken,
      channel_ids: [channel.id],
      reconnect_attempts: 0,
      // The longest allowed: tests write the heartbeat at start, stop and state changes, seldom on the timer.
      heartbeat_interval_seconds: BOT_HEARTBEAT_MAX_INTERVAL_SECONDS,
      max_chart_attachments: 3,
    },
    database: { path: path.join(dir, 'plans.db') },
    logging: { level: 'silent', file: '' },
    admins: { user_ids: [], role_ids: [roles.admin.id] },
    rate_limits: {
      bot_per_user: { max: 1000, window_seconds: 60 },
      bot_per_guild: { max: 10_000, window_seconds: 60 },
    },
    coaches: [
      { id: 'd', name: 'Coach D (Day Trading)', role_ids: [], user_ids: [] },
      { id: 'i', name: 'Coach I (Intraday)', role_ids: [], user_ids: [] },
      { id: 's', name: 'Coach S (Swing)', role_ids: [], user_ids: [] },
      { id: 'n', name: 'Coach N (News/Events)', role_ids: [], user_ids: [] },
      { id: 'r', name: 'Coach R (Restricted)', role_ids: [roles.coachR.id], user_ids: [] },
    ],
  };
  const config = mergeConfig(overrides, options.config ?? {}, dir);
  const logger = pino({ level: 'silent' });
  const coachwire = await openCoachwire(config, { logger, clock: options.clock });
  const database = sqliteDatabaseOf(coachwire.store);
  const savedPlans: Plan[] = [];
  const botOptions = {
    config,
    coachwire,
    restApi: emu.restUrl,
    ...(options.archiveCharts
      ? { extraChartHosts: [`127.0.0.1:${emu.port}`] }
      : {
          onPlanSaved: (plan: Plan) => {
            savedPlans.push(plan);
          },
        }),
  };
  let bot = await startBot(botOptions);

  const send = async (user: EmulatedUser, content: string, attachments: AttachmentInput[] = []) => {
    const message = await emu.sendMessage({ channelId: channel.id, authorId: user.id, content, attachments });
    const reply = await waitForMessageReply(emu, String(message.id));
    return { message, reply, body: reply.body as ReplyBody };
  };
  const slash = async (user: EmulatedUser, subcommand: string, subOptions: Json[] = []) => {
    const { interactionId, token } = await emu.invokeSlashCommand({
      guildId: guild.id,
      channelId: channel.id,
      userId: user.id,
      commandName: 'plan',
      options: [{ type: 1, name: subcommand, options: subOptions }],
    });
    const reply = await waitForInteractionReply(emu, token);
    return { interactionId, token, reply, body: reply.body as ReplyBody };
  };
  return {
    emu,
    get bot() {
      return bot;
    },
    restart: async () => {
      await bot.stop();
      bot = await startBot(botOptions);
    },
    coachwire,
    database,
    repository: coachwire.repositories.plans,
    statusStore: coachwire.repositories.botStatus,
    guild,
    channel,
    ignoredChannel,
    users,
    roles,
    config,
    savedPlans,
    send,
    slash,
    close: async () => {
      await bot.stop();
      await emu.stop();
      await coachwire.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function mergeConfig(
  base: DeepPartial<CoachwireConfig>,
  extra: DeepPartial<CoachwireConfig>,
  cwd: string,
): CoachwireConfig {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = merged[key];
    merged[key] =
      current &&
      typeof current === 'object' &&
      !Array.isArray(current) &&
      value &&
      typeof value === 'object' &&
      !Array.isArray(value)
        ? { ...current, ...value }
        : value;
  }
  return loadConfig({ env: {}, argv: [], cwd, overrides: merged as DeepPartial<CoachwireConfig> });
}

/** A string option of a slash command. */
export function stringOption(name: string, value: string, focused = false): Json {
  return focused ? { type: 3, name, value, focused: true } : { type: 3, name, value };
}

/** An attachment option pointing at a file uploaded to the emulator. */
export function attachmentOption(
  emu: DiscordEmulator,
  channelId: string,
  name: string,
  file: AttachmentInput,
): Json {
  const attachment = emu.uploadAttachment(channelId, file);
  return { type: 11, name, value: String(attachment.id) };
}
