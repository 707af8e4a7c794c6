import type { BotStatus } from '@coachwire/core';
import { eq } from 'drizzle-orm';
import { BOT_STATUS_ROW_ID, botStatusValues, toBotStatus } from './bot-status-rows.js';
import { botStatus } from './pg-bot-status-schema.js';
import type { BotStatusPort } from './ports.js';
import type { PgHandle } from './postgres/pg-database.js';

/** The bot's heartbeat row on PostgreSQL: the bot writes it, every API instance's /health reads it. */
export class PgBotStatus implements BotStatusPort {
  readonly #handle: PgHandle;

  constructor(handle: PgHandle) {
    this.#handle = handle;
  }

  async write(status: BotStatus): Promise<void> {
    const values = botStatusValues(status);
    try {
      await this.#handle.db
        .insert(botStatus)
        .values({ id: BOT_STATUS_ROW_ID, ...values })
        .onConflictDoUpdate({ target: botStatus.id, set: values });
    } catch (error) {
      throw this.#handle.toError('write', error);
    }
  }

  async read(): Promise<BotStatus | null> {
    try {
      const [row] = await this.#handle.db.select().from(botStatus).where(eq(botStatus.id, BOT_STATUS_ROW_ID));
      return row ? toBotStatus(row) : null;
    } catch (error) {
      throw this.#handle.toError('read', error);
    }
  }
}
