// The entities of the emulated Discord, kept in our own small shape (see World for the wire JSON).

/** A JSON object as sent over the wire. */
export type Json = Record<string, unknown>;

export interface EmulatedUser {
  id: string;
  username: string;
  globalName: string | null;
  bot: boolean;
}

export interface EmulatedRole {
  id: string;
  name: string;
  permissions: bigint;
  position: number;
  managed: boolean;
}

export interface EmulatedMember {
  userId: string;
  roles: string[];
  nick: string | null;
  joinedAt: string;
}

export interface EmulatedChannel {
  id: string;
  guildId: string;
  name: string;
  position: number;
}

export interface EmulatedGuild {
  id: string;
  name: string;
  ownerId: string;
  roles: Map<string, EmulatedRole>;
  members: Map<string, EmulatedMember>;
  channelIds: string[];
}

/** An uploaded file served by the emulator's CDN route. */
export interface StoredAttachment {
  filename: string;
  contentType: string;
  data: Buffer;
}

/** Thrown for a reference to something the emulator does not have; the REST layer answers 404. */
export class UnknownEntityError extends Error {
  constructor(
    readonly entity: string,
    readonly id: string,
    /** Discord's JSON error code for this kind of entity, e.g. 10003 Unknown Channel. */
    readonly discordCode: number,
  ) {
    super(`Unknown ${entity} ${id}`);
  }
}
