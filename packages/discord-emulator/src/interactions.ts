import { randomBytes } from 'node:crypto';
import type { CommandRegistry } from './command-registry.js';
import type { Json } from './entities.js';
import { ALL_PERMISSIONS } from './permissions.js';
import { nextSnowflake } from './snowflake.js';
import type { World } from './world.js';

const CALLBACK_WINDOW_MS = 3_000;
const TOKEN_LIFETIME_MS = 15 * 60_000;

/** Interaction types Discord sends in INTERACTION_CREATE. */
export const InteractionType = {
  ApplicationCommand: 2,
  MessageComponent: 3,
  ApplicationCommandAutocomplete: 4,
  ModalSubmit: 5,
} as const;

/** One thing the bot did in answer to an interaction, in the order it happened. */
export interface InteractionResponseRecord {
  kind: 'callback' | 'editOriginal' | 'deleteOriginal' | 'followUp' | 'editFollowUp';
  /** For 'callback': 4 reply, 5 deferred reply, 6 deferred update, 7 update, 8 autocomplete, 9 modal. */
  callbackType?: number;
  body: unknown;
  /** The message created or edited, when there is one. */
  messageId?: string;
}

export interface EmulatedInteraction {
  id: string;
  token: string;
  type: number;
  guildId: string;
  channelId: string;
  userId: string;
  acknowledged: boolean;
  /** When it was created, by the emulator's interaction clock (0 without one). */
  createdAt: number;
  originalMessageId: string | null;
  responses: InteractionResponseRecord[];
}

/** Where and by whom an interaction happens. */
export interface InteractionInput {
  guildId: string;
  channelId: string;
  userId: string;
}

/** A slash command invocation: options in Discord's API form (subcommands nest their options). */
export interface SlashCommandInput extends InteractionInput {
  commandName: string;
  options?: Json[];
  /** Extra resolved data merged over what the emulator resolves itself. */
  resolved?: Json;
}

/**
 * Creates interactions, finds them again by id or token, and logs the bot's responses. With `historyLimit`,
 * only the newest that many interactions (and registered attachments) are kept: Discord too forgets an
 * interaction's token after 15 minutes.
 */
export class InteractionStore {
  private readonly byId = new Map<string, EmulatedInteraction>();
  private readonly byToken = new Map<string, EmulatedInteraction>();

  private readonly attachments = new Map<string, Json>();

  constructor(
    private readonly world: World,
    private readonly applicationId: string,
    private readonly commands: CommandRegistry,
    private readonly historyLimit = Number.POSITIVE_INFINITY,
    /** With a clock, Discord's answer windows are enforced (see `expired`). */
    private readonly clock?: () => number,
  ) {}

  /**
   * Whether it is too late for `step`: the first answer (callback) must come within 3 s; the token then
   * serves edits and follow-ups for 15 minutes. Never, without a clock.
   */
  expired(interaction: EmulatedInteraction, step: 'callback' | 'webhook'): boolean {
    if (!this.clock) return false;
    const window = step === 'callback' ? CALLBACK_WINDOW_MS : TOKEN_LIFETIME_MS;
    return this.clock() - interaction.createdAt > window;
  }

  /** Makes an uploaded attachment resolvable by id in attachment options. */
  registerAttachment(attachment: Json): void {
    this.attachments.set(String(attachment.id), attachment);
    if (this.attachments.size > this.historyLimit)
      this.attachments.delete(this.attachments.keys().next().value!);
  }

  /** The `data` of a chat-input command interaction; autocomplete sends it without `resolved`. */
  slashCommandData(input: SlashCommandInput, withResolved = true): Json {
    const options = input.options ?? [];
    return {
      id: this.commands.idOf(input.commandName, input.guildId) ?? nextSnowflake(),
      name: input.commandName,
      type: 1,
      options,
      ...(withResolved ? { resolved: this.resolveOptions(input.guildId, options, input.resolved) } : {}),
    };
  }

  get(id: string): EmulatedInteraction | undefined {
    return this.byId.get(id);
  }

  getByToken(token: string): EmulatedInteraction | undefined {
    return this.byToken.get(token);
  }

  /** Registers a new interaction and returns it with the INTERACTION_CREATE payload to dispatch. */
  create(
    type: number,
    origin: InteractionInput,
    data: Json,
    /** For component interactions: the message holding the component (it becomes '@original'). */
    message?: Json,
  ): { interaction: EmulatedInteraction; payload: Json } {
    const { world } = this;
    const channel = world.channel(origin.channelId);
    const interaction: EmulatedInteraction = {
      id: nextSnowflake(),
      token: `emulated-interaction-${randomBytes(16).toString('hex')}`,
      type,
      ...origin,
      acknowledged: false,
      createdAt: this.clock?.() ?? 0,
      originalMessageId: message ? String(message.id) : null,
      responses: [],
    };
    this.byId.set(interaction.id, interaction);
    this.byToken.set(interaction.token, interaction);
    if (this.byId.size > this.historyLimit) {
      const oldest = this.byId.values().next().value!;
      this.byId.delete(oldest.id);
      this.byToken.delete(oldest.token);
    }
    const member = world.member(origin.guildId, origin.userId);
    // discord.js reads every one of these fields; missing entitlements or integration owners make it throw.
    const payload: Json = {
      id: interaction.id,
      application_id: this.applicationId,
      type,
      data,
      guild_id: origin.guildId,
      guild: { id: origin.guildId, locale: 'en-US', features: [] },
      channel: world.toChannelPayload(channel),
      channel_id: channel.id,
      member: world.toMemberPayload(origin.guildId, member),
      token: interaction.token,
      version: 1,
      app_permissions: ALL_PERMISSIONS.toString(),
      locale: 'en-US',
      guild_locale: 'en-US',
      entitlements: [],
      authorizing_integration_owners: { '0': origin.guildId },
      context: 0,
      attachment_size_limit: 10 * 1024 * 1024,
      ...(message ? { message } : {}),
    };
    return { interaction, payload };
  }

  /** Fills `resolved` for attachment (type 11) and user (type 6) options, including nested subcommand options. */
  private resolveOptions(guildId: string, options: Json[], resolved: Json = {}): Json {
    const result: Record<string, Record<string, Json>> = {};
    const visit = (list: Json[]) => {
      for (const option of list) {
        if (Array.isArray(option.options)) visit(option.options as Json[]);
        const value = String(option.value);
        const attachment = this.attachments.get(value);
        if (option.type === 11 && attachment) {
          result.attachments = { ...result.attachments, [value]: attachment };
        }
        const user = this.world.users.get(value);
        if (option.type === 6 && user) {
          result.users = { ...result.users, [value]: this.world.toUserPayload(user) };
          const member = this.world.guilds.get(guildId)?.members.get(value);
          if (member)
            result.members = {
              ...result.members,
              [value]: this.world.toMemberPayload(guildId, member, false),
            };
        }
      }
    };
    visit(options);
    return { ...result, ...resolved };
  }
}
