import type { BotInstance, BotStatus } from '@coachwire/core';
import { and, eq, sql } from 'drizzle-orm';
import { BOT_STATUS_ROW_ID, botRowValues, toBotStatus } from './bot-status-rows.js';
import type { CoachwireDatabase } from './database.js';
import { writeWhenUnlocked } from './lock-waits.js';
import type { BotStatusPort } from './ports.js';
import { botStatus } from './schema.js';
import { toCoachwireError } from './storage-errors.js';

/** The bot's heartbeat row: the bot writes it, the API's /health reads it (they share only the file). */
export class BotStatusStore implements BotStatusPort {
  readonly #handle: CoachwireDatabase;

  constructor(handle: CoachwireDatabase) {
    this.#handle = handle;
  }

  /**
   * Replaces the heartbeat row, and its holder when the status names one. Throws STORAGE_UNAVAILABLE when the
   * database cannot be written.
   */
  async write(status: BotStatus): Promise<void> {
    try {
      const values = botRowValues(status);
      await writeWhenUnlocked(this.#handle, () =>
        this.#handle.db
          .insert(botStatus)
          .values({ id: BOT_STATUS_ROW_ID, ...values })
          .onConflictDoUpdate({ target: botStatus.id, set: values })
          .run(),
      );
    } catch (error) {
      throw toCoachwireError(this.#handle.path, 'write', error);
    }
  }

  async claim(
    status: BotStatus & { readonly holder: BotInstance },
    seen: BotStatus | null,
  ): Promise<boolean> {
    try {
      const values = botRowValues(status);
      // SQLite runs one statement under the write lock: the WHERE sees the row as it is then, not as read.
      const stillAsSeen = seen
        ? sql`${botStatus.heartbeatAt} IS ${seen.heartbeatAt} AND ${botStatus.instanceId} IS ${seen.holder?.instanceId ?? null} AND ${botStatus.state} IS ${seen.state ?? null}`
        : sql`0`;
      const result = await writeWhenUnlocked(this.#handle, () =>
        this.#handle.db
          .insert(botStatus)
          .values({ id: BOT_STATUS_ROW_ID, ...values })
          .onConflictDoUpdate({ target: botStatus.id, set: values, setWhere: stillAsSeen })
          .run(),
      );
      return result.changes === 1;
    } catch (error) {
      throw toCoachwireError(this.#handle.path, 'write', error);
    }
  }

  async writeAsHolder(status: BotStatus & { readonly holder: BotInstance }): Promise<boolean> {
    try {
      const result = await writeWhenUnlocked(this.#handle, () =>
        this.#handle.db
          .update(botStatus)
          .set(botRowValues(status))
          .where(
            and(
              eq(botStatus.id, sql`${BOT_STATUS_ROW_ID}`),
              eq(botStatus.instanceId, status.holder.instanceId),
            ),
          )
          .run(),
      );
      return result.changes === 1;
    } catch (error) {
      throw toCoachwireError(this.#handle.path, 'write', error);
    }
  }

  /** The last heartbeat the bot wrote, or null if it never has. */
  async read(): Promise<BotStatus | null> {
    try {
      const row = this.#handle.db
        .select()
        .from(botStatus)
        .where(eq(botStatus.id, sql`${BOT_STATUS_ROW_ID}`))
        .get();
      return row ? toBotStatus(row) : null;
    } catch (error) {
      throw toCoachwireError(this.#handle.path, 'read', error);
    }
  }
}
