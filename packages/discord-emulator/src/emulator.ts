import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CallRecorder, type RecordedCall, type WaitOptions } from './call-recorder.js';
import { CommandRegistry } from './command-registry.js';
import { CONTROL_PATH_PREFIX, handleControlRequest } from './control-routes.js';
import type {
  EmulatedChannel,
  EmulatedGuild,
  EmulatedMember,
  EmulatedRole,
  EmulatedUser,
  Json,
} from './entities.js';
import { FailureInjector, type FailureOptions } from './failure-injector.js';
import { GatewayServer } from './gateway.js';
import {
  type InteractionInput,
  type InteractionResponseRecord,
  InteractionStore,
  InteractionType,
  type SlashCommandInput,
} from './interactions.js';
import { type AttachmentInput, MessageStore } from './messages.js';
import { RateLimitInjector, type RateLimitOptions } from './rate-limit-injector.js';
import { RestServer } from './rest-server.js';
import { nextSnowflake } from './snowflake.js';
import { waitUntil } from './wait-until.js';
import { World } from './world.js';

export interface EmulatorOptions {
  /** The only token accepted by REST and the gateway; default 'emulator-token'. */
  botToken?: string;
  /** The bot's user; default username 'Coachwire'. */
  botUser?: { id?: string; username?: string; globalName?: string | null };
  /** HELLO's heartbeat interval; default 41 250 ms like Discord. */
  heartbeatIntervalMs?: number;
  /** Port on 127.0.0.1; default 0 (any free port). */
  port?: number;
  /**
   * Enforces Discord's interaction windows against this clock (milliseconds): a callback more than 3 s after
   * the interaction answers 404 Unknown interaction (10062), an edit or follow-up after 15 minutes 401 Invalid
   * Webhook Token (50027). Without it any answer is in time, so a slow test machine fails no test.
   */
  interactionClock?: () => number;
  /**
   * For long runs (mock mode): keeps at most this many recorded REST calls, messages per channel (with their
   * files) and interactions, forgetting the oldest. Default: everything is kept, for tests to inspect.
   */
  historyLimit?: number;
}

/**
 * A fake Discord (REST + gateway + CDN) on 127.0.0.1 that the real discord.js client logs into.
 * Events: 'call' (every REST call, a RecordedCall) and 'unknownRoute' (calls no route matched).
 */
export class DiscordEmulator extends EventEmitter {
  readonly botToken: string;
  readonly applicationId: string;
  readonly botUser: EmulatedUser;
  private readonly world: World;
  private readonly recorder: CallRecorder;
  private readonly rateLimits = new RateLimitInjector();
  private readonly failures = new FailureInjector();
  private readonly commands: CommandRegistry;
  private readonly messages: MessageStore;
  private readonly interactions: InteractionStore;
  private readonly gateway: GatewayServer;
  private readonly server: Server;

  private constructor(options: EmulatorOptions) {
    super();
    this.botToken = options.botToken ?? 'emulator-token';
    this.botUser = {
      id: options.botUser?.id ?? nextSnowflake(),
      username: options.botUser?.username ?? 'Coachwire',
      globalName: options.botUser?.globalName ?? null,
      bot: true,
    };
    // A bot's application id equals its user id.
    this.applicationId = this.botUser.id;
    const historyLimit = options.historyLimit ?? Number.POSITIVE_INFINITY;
    this.recorder = new CallRecorder(historyLimit);
    this.world = new World(this.botUser, historyLimit);
    this.commands = new CommandRegistry(this.applicationId);
    this.messages = new MessageStore(this.world, () => this.cdnBaseUrl);
    this.interactions = new InteractionStore(
      this.world,
      this.applicationId,
      this.commands,
      historyLimit,
      options.interactionClock,
    );
    this.gateway = new GatewayServer({
      world: this.world,
      botToken: this.botToken,
      applicationId: this.applicationId,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      gatewayUrl: () => this.gatewayUrl,
    });
    const rest = new RestServer({
      botToken: this.botToken,
      recorder: this.recorder,
      rateLimits: this.rateLimits,
      failures: this.failures,
      deps: {
        world: this.world,
        messages: this.messages,
        interactions: this.interactions,
        commands: this.commands,
        applicationId: this.applicationId,
        gatewayUrl: () => this.gatewayUrl,
      },
    });
    this.recorder.on('call', (call: RecordedCall) => {
      this.emit('call', call);
      // Gaps in the emulator should be loud: mock mode can log these.
      if (call.route === 'UNKNOWN') this.emit('unknownRoute', call);
    });
    this.server = createServer((request, response) => {
      const handled = request.url?.startsWith(`${CONTROL_PATH_PREFIX}/`)
        ? handleControlRequest(request, response, this)
        : rest.handle(request, response);
      handled.catch((error: unknown) => response.destroy(error as Error));
    });
    this.server.on('upgrade', (request, socket, head) => {
      if (request.url?.startsWith('/gateway')) this.gateway.handleUpgrade(request, socket, head);
      else socket.destroy();
    });
  }

  /** Starts an emulator listening on 127.0.0.1 with a free port. */
  static async start(options: EmulatorOptions = {}): Promise<DiscordEmulator> {
    const emulator = new DiscordEmulator(options);
    await new Promise<void>((resolve, reject) => {
      emulator.server.once('error', reject);
      emulator.server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    return emulator;
  }

  /** Closes the gateway sockets and the HTTP server. */
  async stop(): Promise<void> {
    await this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The listening port. */
  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Pass as discord.js `rest: { api: emu.restUrl }`. */
  get restUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  /** Base of attachment URLs: `${cdnBaseUrl}/attachments/:channelId/:attachmentId/:filename`. */
  get cdnBaseUrl(): string {
    return `http://127.0.0.1:${this.port}/cdn`;
  }

  /** The gateway WebSocket URL returned by GET /gateway/bot. */
  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }

  /** Base of the emulator's own control routes (not Discord's API), e.g. `${controlUrl}/say`. */
  get controlUrl(): string {
    return `http://127.0.0.1:${this.port}${CONTROL_PATH_PREFIX}`;
  }

  // ---- The world: guilds, channels, users, roles, members ----

  // Entities get new snowflake ids unless `id` is given: a simulation that must look the same across runs
  // (mock mode's coaches author stored plans) passes its own.

  /** Creates a guild (the bot is a member); dispatched with GUILD_CREATE if a client is connected. */
  createGuild(input: { id?: string; name: string; ownerId?: string }): EmulatedGuild {
    const guild = this.world.addGuild(input);
    this.gateway.dispatch('GUILD_CREATE', this.world.toGuildCreatePayload(guild));
    return guild;
  }

  /** Creates a text channel; dispatched with CHANNEL_CREATE. */
  createChannel(guildId: string, input: { id?: string; name: string }): EmulatedChannel {
    const channel = this.world.addChannel(guildId, input);
    this.gateway.dispatch('CHANNEL_CREATE', this.world.toChannelPayload(channel));
    return channel;
  }

  /** Creates a user (not yet a member of any guild). */
  createUser(input: {
    id?: string;
    username: string;
    globalName?: string | null;
    bot?: boolean;
  }): EmulatedUser {
    return this.world.addUser(input);
  }

  /**
   * `content` with each `@name` that names a member of the channel's guild (by username, global name or
   * nickname, in any case) written as the mention `<@id>`, as Discord's client sends it once the member is
   * picked from its list. Anything else stays as typed.
   */
  typedMentions(channelId: string, content: string): string {
    const guild = this.world.guild(this.world.channel(channelId).guildId);
    const byName = new Map<string, string>();
    for (const member of guild.members.values()) {
      const user = this.world.user(member.userId);
      for (const name of [user.username, user.globalName, member.nick])
        if (name) byName.set(name.toLowerCase(), user.id);
    }
    return content.replace(/(^|\s)@([\w.]{1,32})(?=$|\s)/g, (typed, space: string, name: string) => {
      const id = byName.get(name.toLowerCase());
      return id ? `${space}<@${id}>` : typed;
    });
  }

  /** The name Discord's client shows for a mention of the user (its global name, else its username). */
  userDisplayName(id: string): string | undefined {
    try {
      const user = this.world.user(id);
      return user.globalName ?? user.username;
    } catch {
      return undefined;
    }
  }

  /** Creates a role; dispatched with GUILD_ROLE_CREATE. */
  createRole(guildId: string, input: { name: string; permissions?: bigint | string }): EmulatedRole {
    const role = this.world.addRole(guildId, input);
    this.gateway.dispatch('GUILD_ROLE_CREATE', { guild_id: guildId, role: this.world.toRolePayload(role) });
    return role;
  }

  /** Adds a user to a guild; dispatched with GUILD_MEMBER_ADD. */
  addMember(
    guildId: string,
    userId: string,
    input: { roles?: string[]; nick?: string | null } = {},
  ): EmulatedMember {
    const member = this.world.addMember(guildId, userId, input);
    this.gateway.dispatch('GUILD_MEMBER_ADD', {
      ...this.world.toMemberPayload(guildId, member),
      guild_id: guildId,
    });
    return member;
  }

  // ---- Simulated users acting ----

  /** A user posts a message (with optional files): stored, dispatched as MESSAGE_CREATE, returned. */
  async sendMessage(input: {
    channelId: string;
    authorId: string;
    content: string;
    attachments?: AttachmentInput[];
  }): Promise<Json> {
    const attachments = (input.attachments ?? []).map((file) =>
      this.messages.storeAttachment(input.channelId, file),
    );
    const message = this.messages.create(input.channelId, this.world.user(input.authorId), {
      content: input.content,
      attachments,
    });
    this.gateway.dispatch('MESSAGE_CREATE', this.messages.toGatewayMessage(message));
    return message;
  }

  /**
   * A user posts a message, then waits up to `timeoutMs` (default 10 s) for the bot's first reply to it;
   * `reply` (the reply's body) is null when none came in time.
   */
  async say(
    input: Parameters<DiscordEmulator['sendMessage']>[0] & { timeoutMs?: number },
  ): Promise<{ message: Json; reply: Json | null }> {
    const message = await this.sendMessage(input);
    const reply = await this.waitForReply(String(message.id), { timeoutMs: input.timeoutMs ?? 10_000 }).catch(
      () => null,
    );
    return { message, reply: reply ? (reply.body as Json) : null };
  }

  /** A user edits their message: dispatched as MESSAGE_UPDATE with edited_timestamp. */
  async editMessage(channelId: string, messageId: string, content: string): Promise<Json> {
    const message = this.messages.edit(channelId, messageId, { content });
    this.gateway.dispatch('MESSAGE_UPDATE', this.messages.toGatewayMessage(message));
    return message;
  }

  /** A user deletes a message: dispatched as MESSAGE_DELETE. */
  async deleteMessage(channelId: string, messageId: string): Promise<void> {
    const { guild_id } = this.world.message(channelId, messageId);
    this.world.removeMessage(channelId, messageId);
    this.gateway.dispatch('MESSAGE_DELETE', { id: messageId, channel_id: channelId, guild_id });
  }

  /** Stores a file for use as a slash-command attachment option (`{ type: 11, value: attachment.id }`). */
  uploadAttachment(channelId: string, file: AttachmentInput): Json {
    const attachment = this.messages.storeAttachment(channelId, file);
    this.interactions.registerAttachment(attachment);
    return attachment;
  }

  /** A user runs a slash command; attachment and user options are resolved automatically. */
  async invokeSlashCommand(input: SlashCommandInput): Promise<{ interactionId: string; token: string }> {
    const data = this.interactions.slashCommandData(input);
    return this.dispatchInteraction(InteractionType.ApplicationCommand, input, data);
  }

  /** A user types into an autocompleting option; `options` must mark the one in focus with `focused: true`. */
  async invokeAutocomplete(
    input: InteractionInput & { commandName: string; options: Json[] },
  ): Promise<{ interactionId: string; token: string }> {
    const data = this.interactions.slashCommandData(input, false);
    return this.dispatchInteraction(InteractionType.ApplicationCommandAutocomplete, input, data);
  }

  /** A user submits a modal; `fields` maps text-input custom ids to values (one action row each). */
  async submitModal(
    input: InteractionInput & { customId: string; fields?: Record<string, string>; components?: Json[] },
  ): Promise<{ interactionId: string; token: string }> {
    const components =
      input.components ??
      Object.entries(input.fields ?? {}).map(([customId, value]) => ({
        type: 1,
        components: [{ type: 4, custom_id: customId, value }],
      }));
    return this.dispatchInteraction(InteractionType.ModalSubmit, input, {
      custom_id: input.customId,
      components,
    });
  }

  /**
   * A user clicks a button (custom id) on a message; the bot answers with update/deferUpdate/reply. Like
   * Discord's client, it refuses (throws) a click on a button the message does not show, or shows disabled.
   */
  async clickButton(
    input: InteractionInput & { messageId: string; customId: string },
  ): Promise<{ interactionId: string; token: string }> {
    const message = this.world.message(input.channelId, input.messageId);
    const rows = (message.components as { components?: Json[] }[] | undefined) ?? [];
    const button = rows.flatMap((row) => row.components ?? []).find((c) => c.custom_id === input.customId);
    if (!button) throw new Error(`Message ${input.messageId} has no button '${input.customId}'.`);
    if (button.disabled === true) throw new Error(`Button '${input.customId}' is disabled.`);
    const data = { custom_id: input.customId, component_type: 2 };
    return this.dispatchInteraction(InteractionType.MessageComponent, input, data, message);
  }

  private dispatchInteraction(type: number, origin: InteractionInput, data: Json, message?: Json) {
    const { interaction, payload } = this.interactions.create(type, origin, data, message);
    this.gateway.dispatch('INTERACTION_CREATE', payload);
    return Promise.resolve({ interactionId: interaction.id, token: interaction.token });
  }

  // ---- What the bot did ----

  /** Every REST call in arrival order. */
  get calls(): readonly RecordedCall[] {
    return this.recorder.calls;
  }

  /** Forgets the recorded calls (long benchmark runs). */
  clearCalls(): void {
    this.recorder.calls.length = 0;
  }

  /** Calls that matched no route (answered 404): gaps in the emulator. */
  get unknownCalls(): RecordedCall[] {
    return this.recorder.calls.filter((call) => call.route === 'UNKNOWN');
  }

  /** Resolves with the first call matching `predicate`, already recorded or future. */
  waitForCall(predicate: (call: RecordedCall) => boolean, options?: WaitOptions): Promise<RecordedCall> {
    return this.recorder.waitForCall(predicate, options);
  }

  /** Resolves with the bot's first successful reply to a message (one whose message_reference names it). */
  waitForReply(messageId: string, options?: WaitOptions): Promise<RecordedCall> {
    return this.waitForCall(
      (call) =>
        call.route === 'POST /channels/:channelId/messages' &&
        call.status < 300 &&
        (call.body as { message_reference?: { message_id?: unknown } } | undefined)?.message_reference
          ?.message_id === messageId,
      options,
    );
  }

  /** Messages currently in a channel (user and bot), oldest first. */
  messagesIn(channelId: string): Json[] {
    return this.world.messagesIn(channelId);
  }

  /** The bot's callback, edits and follow-ups for an interaction, in order. */
  interactionResponses(interactionId: string): InteractionResponseRecord[] {
    return this.interactions.get(interactionId)?.responses ?? [];
  }

  /** Commands the bot registered: global by default, or for one guild. */
  registeredCommands(options: { guildId?: string } = {}): Json[] {
    return this.commands.list(options.guildId);
  }

  /** The bytes a URL of this emulator's CDN serves, if any. */
  attachmentBytes(channelId: string, attachmentId: string): Buffer | undefined {
    return this.world.attachments.get(`${channelId}/${attachmentId}`)?.data;
  }

  // ---- Gateway state and fault injection ----

  /** Open gateway sockets. */
  get connections(): number {
    return this.gateway.connections;
  }

  /** Successful IDENTIFY handshakes so far. */
  get identifyCount(): number {
    return this.gateway.identifyCount;
  }

  /** Successful RESUME handshakes so far. */
  get resumeCount(): number {
    return this.gateway.resumeCount;
  }

  /** Resolves once `identifyCount` reaches `count` (default 1). */
  waitForIdentify(count = 1, options?: WaitOptions): Promise<void> {
    return waitUntil(this.gateway, 'identify', () => this.identifyCount >= count, options);
  }

  /** Resolves once `resumeCount` reaches `count` (default 1). */
  waitForResume(count = 1, options?: WaitOptions): Promise<void> {
    return waitUntil(this.gateway, 'resume', () => this.resumeCount >= count, options);
  }

  /** Drops every gateway connection: resumable (close 4000, client RESUMEs) or not (INVALID_SESSION, client re-IDENTIFYs). */
  dropConnection(options: { resumable: boolean }): void {
    this.gateway.dropConnections(options);
  }

  /** Answers the next `count` REST requests (optionally of one route) with 429 Too Many Requests. */
  rateLimitNext(count: number, options: RateLimitOptions = {}): void {
    this.rateLimits.add(count, options);
  }

  /** Answers the next `count` REST requests (optionally of one route) with an error status (default 500). */
  failNext(count: number, options: FailureOptions = {}): void {
    this.failures.add(count, options);
  }
}
