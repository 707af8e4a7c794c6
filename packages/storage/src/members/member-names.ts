import { and, eq, sql } from 'drizzle-orm';
import type { CoachwireDatabase } from '../database.js';
import { writeWhenUnlocked } from '../lock-waits.js';
import type { MemberNamePort } from '../ports.js';
import { toCoachwireError } from '../storage-errors.js';
import { memberNames } from './member-name-schema.js';

/** Display names of the members of each guild, as the bot last saw them (SQLite). */
export class SqliteMemberNames implements MemberNamePort {
  readonly #handle: CoachwireDatabase;

  constructor(handle: CoachwireDatabase) {
    this.#handle = handle;
  }

  async remember(guildId: string, userId: string, name: string, at: string): Promise<void> {
    try {
      await writeWhenUnlocked(this.#handle, () =>
        this.#handle.db
          .insert(memberNames)
          .values({ guildId, userId, name, updatedAt: at })
          .onConflictDoUpdate({
            target: [memberNames.guildId, memberNames.userId],
            set: { name, updatedAt: at },
          })
          .run(),
      );
    } catch (error) {
      throw toCoachwireError(this.#handle.path, 'write', error);
    }
  }

  async namesOf(guildId: string, userIds: readonly string[]): Promise<Map<string, string>> {
    if (userIds.length === 0) return new Map();
    try {
      const rows = this.#handle.db
        .select({ userId: memberNames.userId, name: memberNames.name })
        .from(memberNames)
        .where(
          and(
            eq(memberNames.guildId, guildId),
            // One parameter however many ids: SQLite limits the number of parameters of a statement.
            sql`${memberNames.userId} in (select value from json_each(${JSON.stringify(userIds)}))`,
          ),
        )
        .all();
      return new Map(rows.map((row) => [row.userId, row.name]));
    } catch (error) {
      throw toCoachwireError(this.#handle.path, 'read', error);
    }
  }
}
