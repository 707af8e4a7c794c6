import {
  type EmulatedChannel,
  type EmulatedGuild,
  type EmulatedMember,
  type EmulatedRole,
  type EmulatedUser,
  type Json,
  type StoredAttachment,
  UnknownEntityError,
} from './entities.js';
import { ALL_PERMISSIONS, computeMemberPermissions, DEFAULT_EVERYONE_PERMISSIONS } from './permissions.js';
import { nextSnowflake } from './snowflake.js';

// The emulated Discord's state: users, guilds with their channels, roles and members, and
// stored messages. Entities are kept in our own small shape; `to*Payload` turn them into the
// JSON that Discord's API v10 sends, which is what discord.js parses.

export class World {
  readonly users = new Map<string, EmulatedUser>();
  readonly guilds = new Map<string, EmulatedGuild>();
  readonly channels = new Map<string, EmulatedChannel>();
  /** Messages by id, and per channel in posting order (deleted ones removed). */
  readonly messages = new Map<string, Json>();
  readonly channelMessageIds = new Map<string, string[]>();
  /** Files by `${channelId}/${attachmentId}`. */
  readonly attachments = new Map<string, StoredAttachment>();

  /** `historyLimit`: messages kept per channel; past it the oldest goes, with its files (default: all kept). */
  constructor(
    readonly botUser: EmulatedUser,
    private readonly historyLimit = Number.POSITIVE_INFINITY,
  ) {
    this.users.set(botUser.id, botUser);
  }

  user(id: string): EmulatedUser {
    const user = this.users.get(id);
    if (!user) throw new UnknownEntityError('user', id, 10013);
    return user;
  }

  guild(id: string): EmulatedGuild {
    const guild = this.guilds.get(id);
    if (!guild) throw new UnknownEntityError('guild', id, 10004);
    return guild;
  }

  channel(id: string): EmulatedChannel {
    const channel = this.channels.get(id);
    if (!channel) throw new UnknownEntityError('channel', id, 10003);
    return channel;
  }

  member(guildId: string, userId: string): EmulatedMember {
    const member = this.guild(guildId).members.get(userId);
    if (!member) throw new UnknownEntityError('member', userId, 10007);
    return member;
  }

  message(channelId: string, messageId: string): Json {
    const message = this.messages.get(messageId);
    if (!message || message.channel_id !== channelId)
      throw new UnknownEntityError('message', messageId, 10008);
    return message;
  }

  addUser(input: { id?: string; username: string; globalName?: string | null; bot?: boolean }): EmulatedUser {
    const user = {
      id: this.freshId(input.id),
      username: input.username,
      globalName: input.globalName ?? null,
      bot: !!input.bot,
    };
    this.users.set(user.id, user);
    return user;
  }

  /** A guild with its @everyone role (same id as the guild, as on Discord) and the bot as a member. */
  addGuild(input: { id?: string; name: string; ownerId?: string }): EmulatedGuild {
    const id = this.freshId(input.id);
    const guild: EmulatedGuild = {
      id,
      name: input.name,
      ownerId: input.ownerId ?? this.botUser.id,
      roles: new Map(),
      members: new Map(),
      channelIds: [],
    };
    guild.roles.set(id, {
      id,
      name: '@everyone',
      permissions: DEFAULT_EVERYONE_PERMISSIONS,
      position: 0,
      managed: false,
    });
    this.guilds.set(id, guild);
    // Bots join with a managed role named after them; ours is an administrator so permission
    // checks never get in the way of the behaviour under test.
    const botRole = this.addRole(id, {
      name: this.botUser.username,
      permissions: ALL_PERMISSIONS,
      managed: true,
    });
    this.addMember(id, this.botUser.id, { roles: [botRole.id] });
    return guild;
  }

  addChannel(guildId: string, input: { id?: string; name: string }): EmulatedChannel {
    const guild = this.guild(guildId);
    const channel = {
      id: this.freshId(input.id),
      guildId,
      name: input.name,
      position: guild.channelIds.length,
    };
    guild.channelIds.push(channel.id);
    this.channels.set(channel.id, channel);
    return channel;
  }

  addRole(
    guildId: string,
    input: { name: string; permissions?: bigint | string; managed?: boolean },
  ): EmulatedRole {
    const guild = this.guild(guildId);
    const role = {
      id: nextSnowflake(),
      name: input.name,
      permissions: BigInt(input.permissions ?? 0n),
      position: guild.roles.size,
      managed: !!input.managed,
    };
    guild.roles.set(role.id, role);
    return role;
  }

  addMember(
    guildId: string,
    userId: string,
    input: { roles?: string[]; nick?: string | null } = {},
  ): EmulatedMember {
    const guild = this.guild(guildId);
    this.user(userId);
    for (const roleId of input.roles ?? [])
      if (!guild.roles.has(roleId)) throw new UnknownEntityError('role', roleId, 10011);
    const member = {
      userId,
      roles: input.roles ?? [],
      nick: input.nick ?? null,
      joinedAt: new Date().toISOString(),
    };
    guild.members.set(userId, member);
    return member;
  }

  /** The member's guild-wide permissions as Discord sends them (a decimal string). */
  memberPermissions(guildId: string, userId: string): string {
    const guild = this.guild(guildId);
    const member = this.member(guildId, userId);
    return computeMemberPermissions({
      isOwner: guild.ownerId === userId,
      everyonePermissions: guild.roles.get(guild.id)?.permissions ?? 0n,
      rolePermissions: member.roles.map((roleId) => guild.roles.get(roleId)?.permissions ?? 0n),
    }).toString();
  }

  /**
   * The id for a new entity: the caller's (simulations that must keep their ids across runs, such as mock
   * mode's coaches), which must be a snowflake no entity has yet, or a new one.
   */
  private freshId(requested: string | undefined): string {
    if (requested === undefined) return nextSnowflake();
    if (!/^\d{1,20}$/.test(requested)) throw new RangeError(`'${requested}' is not a snowflake id`);
    const taken = this.users.has(requested) || this.guilds.has(requested) || this.channels.has(requested);
    if (taken) throw new RangeError(`id ${requested} is already in use`);
    return requested;
  }

  /** Stores a message object and indexes it under its channel. */
  storeMessage(message: Json): void {
    const id = String(message.id);
    const channelId = String(message.channel_id);
    this.messages.set(id, message);
    const ids = this.channelMessageIds.get(channelId) ?? [];
    ids.push(id);
    this.channelMessageIds.set(channelId, ids);
    if (ids.length > this.historyLimit) this.forgetMessage(channelId, ids.shift()!);
  }

  removeMessage(channelId: string, messageId: string): void {
    this.message(channelId, messageId);
    this.forgetMessage(channelId, messageId);
    const ids = this.channelMessageIds.get(channelId) ?? [];
    this.channelMessageIds.set(
      channelId,
      ids.filter((id) => id !== messageId),
    );
  }

  /** Drops a message and the files it shows (the CDN then answers 404 for them, as Discord does). */
  private forgetMessage(channelId: string, messageId: string): void {
    const message = this.messages.get(messageId);
    this.messages.delete(messageId);
    for (const attachment of (message?.attachments as Json[] | undefined) ?? [])
      this.attachments.delete(`${channelId}/${String(attachment.id)}`);
  }

  /** Messages of a channel in posting order. */
  messagesIn(channelId: string): Json[] {
    return (this.channelMessageIds.get(channelId) ?? []).flatMap((id) => {
      const message = this.messages.get(id);
      return message ? [message] : [];
    });
  }

  toUserPayload(user: EmulatedUser): Json {
    return {
      id: user.id,
      username: user.username,
      global_name: user.globalName,
      discriminator: '0',
      avatar: null,
      bot: user.bot,
      system: false,
      public_flags: 0,
      flags: 0,
    };
  }

  /** A member object; `withUser` is false inside MESSAGE_CREATE, where the author is sent separately. */
  toMemberPayload(guildId: string, member: EmulatedMember, withUser = true): Json {
    return {
      ...(withUser ? { user: this.toUserPayload(this.user(member.userId)) } : {}),
      nick: member.nick,
      avatar: null,
      roles: member.roles,
      joined_at: member.joinedAt,
      premium_since: null,
      deaf: false,
      mute: false,
      flags: 0,
      pending: false,
      communication_disabled_until: null,
      permissions: this.memberPermissions(guildId, member.userId),
    };
  }

  toRolePayload(role: EmulatedRole): Json {
    return {
      id: role.id,
      name: role.name,
      color: 0,
      colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
      hoist: false,
      icon: null,
      unicode_emoji: null,
      position: role.position,
      permissions: role.permissions.toString(),
      managed: role.managed,
      mentionable: false,
      flags: 0,
    };
  }

  /** A guild text channel (type 0). */
  toChannelPayload(channel: EmulatedChannel): Json {
    return {
      id: channel.id,
      type: 0,
      guild_id: channel.guildId,
      name: channel.name,
      position: channel.position,
      permission_overwrites: [],
      parent_id: null,
      topic: null,
      nsfw: false,
      last_message_id: this.channelMessageIds.get(channel.id)?.at(-1) ?? null,
      rate_limit_per_user: 0,
    };
  }

  /** The guild object of REST GET /guilds/:id. */
  toGuildPayload(guild: EmulatedGuild): Json {
    return {
      id: guild.id,
      name: guild.name,
      icon: null,
      splash: null,
      discovery_splash: null,
      owner_id: guild.ownerId,
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      roles: [...guild.roles.values()].map((role) => this.toRolePayload(role)),
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: 0,
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      preferred_locale: 'en-US',
      public_updates_channel_id: null,
      nsfw_level: 0,
      premium_progress_bar_enabled: false,
    };
  }

  /** The gateway GUILD_CREATE payload: the guild plus everything a client caches at startup. */
  toGuildCreatePayload(guild: EmulatedGuild): Json {
    return {
      ...this.toGuildPayload(guild),
      unavailable: false,
      large: false,
      joined_at: guild.members.get(this.botUser.id)?.joinedAt ?? new Date().toISOString(),
      member_count: guild.members.size,
      members: [...guild.members.values()].map((member) => this.toMemberPayload(guild.id, member)),
      channels: guild.channelIds.map((id) => this.toChannelPayload(this.channel(id))),
      threads: [],
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }
}
