import type { Actor, ChartInput } from '@coachwire/core';
import {
  type APIInteractionGuildMember,
  type Attachment,
  type GuildMember,
  PermissionFlagsBits,
  type PermissionsBitField,
  type User,
} from 'discord.js';
import { textFromDiscord } from './incoming-text.js';

/** Discord permissions that make a member a Coachwire admin even without a configured role. */
const ADMIN_PERMISSIONS = [PermissionFlagsBits.Administrator, PermissionFlagsBits.ManageMessages];

/** True when the member may manage messages (or is an Administrator, which implies it). */
export function hasAdminPermission(permissions: Readonly<PermissionsBitField> | null | undefined): boolean {
  return permissions?.any(ADMIN_PERMISSIONS) ?? false;
}

/** The name to show for a user: their server nickname, else their global display name, else username. */
export function displayName(user: User, member: GuildMember | APIInteractionGuildMember | null): string {
  if (member && 'displayName' in member) return textFromDiscord(member.displayName);
  return textFromDiscord(member?.nick ?? user.globalName ?? user.username);
}

/** Role ids of a cached member or of a raw interaction member. */
export function memberRoleIds(member: GuildMember | APIInteractionGuildMember | null): string[] {
  if (!member) return [];
  return Array.isArray(member.roles) ? [...member.roles] : [...member.roles.cache.keys()];
}

/** The actor for a user in a guild, with their roles and admin permission. */
export function discordActor(
  user: User,
  member: GuildMember | APIInteractionGuildMember | null,
  permissions: Readonly<PermissionsBitField> | null | undefined,
): Actor {
  return {
    id: user.id,
    name: displayName(user, member),
    roleIds: memberRoleIds(member),
    hasAdminPermission: hasAdminPermission(permissions),
  };
}

/** A Discord attachment as a chart candidate (core decides whether it is an image). */
export function chartFromAttachment(attachment: Attachment): ChartInput {
  return {
    url: textFromDiscord(attachment.url),
    filename: textFromDiscord(attachment.name),
    contentType: textFromDiscord(attachment.contentType),
    size: attachment.size,
    width: attachment.width,
    height: attachment.height,
    discordAttachmentId: attachment.id,
  };
}
