import type { BotInstance, BotStatus } from '@coachwire/core';
import { and, eq, sql } from 'drizzle-orm';
import { BOT_STATUS_ROW_ID, botRowValues, toBotStatus } from './bot-status-rows.js';
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
    const values = botRowValues(status);
    try {
      await this.#handle.db
        .insert(botStatus)
        .values({ id: BOT_STATUS_ROW_ID, ...values })
        .onConflictDoUpdate({ target: botStatus.id, set: values });
    } catch (error) {
      throw this.#handle.toError('write', error);
    }
  }

  async claim(
    status: BotStatus & { readonly holder: BotInstance },
    seen: BotStatus | null,
  ): Promise<boolean> {
    const values = botRowValues(status);
    // ON CONFLICT DO UPDATE locks the row and checks the WHERE against its latest committed version, so a
    // bot that claimed a moment earlier makes this one find the row changed; of two inserts, one conflicts.
    const stillAsSeen = seen
      ? sql`${botStatus.heartbeatAt} IS NOT DISTINCT FROM ${seen.heartbeatAt}::text AND ${botStatus.instanceId} IS NOT DISTINCT FROM ${seen.holder?.instanceId ?? null}::text AND ${botStatus.state} IS NOT DISTINCT FROM ${seen.state ?? null}::text`
      : sql`false`;
    try {
      const written = await this.#handle.db
        .insert(botStatus)
        .values({ id: BOT_STATUS_ROW_ID, ...values })
        .onConflictDoUpdate({ target: botStatus.id, set: values, setWhere: stillAsSeen })
        .returning({ id: botStatus.id });
      return written.length === 1;
    } catch (error) {
      throw this.#handle.toError('write', error);
    }
  }

  async writeAsHolder(status: BotStatus & { readonly holder: BotInstance }): Promise<boolean> {
    try {
      const written = await this.#handle.db
        .update(botStatus)
        .set(botRowValues(status))
        .where(and(eq(botStatus.id, BOT_STATUS_ROW_ID), eq(botStatus.instanceId, status.holder.instanceId)))
        .returning({ id: botStatus.id });
      return written.length === 1;
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
