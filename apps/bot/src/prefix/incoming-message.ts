import type { Actor, ChartInput } from '@coachwire/core';
import type { Invocation } from '../commands/invocation.js';

/** A Discord message reduced to what the prefix commands read; built from discord.js's Message at the edge. */
export interface IncomingMessage {
  readonly messageId: string;
  readonly content: string;
  readonly authorId: string;
  readonly authorName: string;
  /** Bots (including this one) are never answered. */
  readonly authorIsBot: boolean;
  readonly guildId: string | null;
  readonly channelId: string;
  readonly channelName: string | null;
  readonly roleIds: readonly string[];
  /** The member has Administrator or Manage Messages in the channel's guild. */
  readonly hasAdminPermission: boolean;
  readonly attachments: readonly ChartInput[];
}

/** The actor a message speaks for. */
export function messageActor(message: IncomingMessage): Actor {
  return {
    id: message.authorId,
    name: message.authorName,
    roleIds: message.roleIds,
    hasAdminPermission: message.hasAdminPermission,
  };
}

/** Who and where, as every command receives it. */
export function messageInvocation(message: IncomingMessage): Invocation {
  return {
    actor: messageActor(message),
    guildId: message.guildId,
    channelId: message.channelId,
    channelName: message.channelName,
    messageId: message.messageId,
    requestId: message.messageId,
    charts: message.attachments,
  };
}
