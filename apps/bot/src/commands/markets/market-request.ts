import { type RequestContext, ValidationError } from '@coachwire/core';
import type { Invocation } from '../invocation.js';

/** The guild a market command acts in; markets live in a server, never in direct messages. */
export function guildOf(invocation: Pick<Invocation, 'guildId'>): string {
  if (invocation.guildId === null)
    throw new ValidationError('Markets and points live in a server channel.', 'guild');
  return invocation.guildId;
}

/** The service request for a command: its guild, and its interaction or message id as the idempotency key. */
export function requestOf(
  invocation: Pick<Invocation, 'guildId' | 'requestId'>,
  suffix = '',
): RequestContext {
  return { guildId: guildOf(invocation), idempotencyKey: `discord:${invocation.requestId}${suffix}` };
}

/** How a member is shown in market messages: a mention (Discord shows the name without pinging from an embed). */
export function mention(userId: string): string {
  return `<@${userId}>`;
}

/** Points as members read them: 1,234 pts (and 1 pt). */
export function formatPoints(points: number): string {
  return `${points.toLocaleString('en-US')} ${Math.abs(points) === 1 ? 'pt' : 'pts'}`;
}
