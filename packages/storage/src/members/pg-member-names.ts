import { and, eq, inArray } from 'drizzle-orm';
import type { MemberNamePort } from '../ports.js';
import type { PgHandle } from '../postgres/pg-database.js';
import { memberNames } from './pg-member-name-schema.js';

/** Display names of the members of each guild, as the bot last saw them (PostgreSQL). */
export class PgMemberNames implements MemberNamePort {
  readonly #handle: PgHandle;

  constructor(handle: PgHandle) {
    this.#handle = handle;
  }

  async remember(guildId: string, userId: string, name: string, at: string): Promise<void> {
    try {
      await this.#handle.db
        .insert(memberNames)
        .values({ guildId, userId, name, updatedAt: at })
        .onConflictDoUpdate({
          target: [memberNames.guildId, memberNames.userId],
          set: { name, updatedAt: at },
        });
    } catch (error) {
      throw this.#handle.toError('write', error);
    }
  }

  async namesOf(guildId: string, userIds: readonly string[]): Promise<Map<string, string>> {
    if (userIds.length === 0) return new Map();
    try {
      const rows = await this.#handle.db
        .select({ userId: memberNames.userId, name: memberNames.name })
        .from(memberNames)
        .where(and(eq(memberNames.guildId, guildId), inArray(memberNames.userId, [...userIds])));
      return new Map(rows.map((row) => [row.userId, row.name]));
    } catch (error) {
      throw this.#handle.toError('read', error);
    }
  }
}
