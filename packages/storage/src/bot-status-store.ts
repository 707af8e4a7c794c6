import type { BotConnectionState, BotStatus } from '@coachwire/core';
import { eq, sql } from 'drizzle-orm';
import type { CoachwireDatabase } from './database.js';
import type { BotStatusPort } from './ports.js';
import { botStatus } from './schema.js';
import { toCoachwireError } from './storage-errors.js';

const SINGLE_ROW_ID = 1;

const CONNECTION_STATES: ReadonlySet<string> = new Set<BotConnectionState>([
  'connecting',
  'retrying',
  'connected',
  'reconnecting',
  'failed',
  'stopped',
]);

function isConnectionState(value: string | null): value is BotConnectionState {
  return value !== null && CONNECTION_STATES.has(value);
}

/** The bot's heartbeat row: the bot writes it, the API's /health reads it (they share only the file). */
export class BotStatusStore implements BotStatusPort {
  readonly #handle: CoachwireDatabase;

  constructor(handle: CoachwireDatabase) {
    this.#handle = handle;
  }

  /** Replaces the heartbeat row. Throws STORAGE_UNAVAILABLE when the database cannot be written. */
  async write(status: BotStatus): Promise<void> {
    try {
      const values = {
        connected: status.connected,
        latencyMs: status.latencyMs,
        guilds: status.guilds,
        heartbeatAt: status.heartbeatAt,
        mock: status.mock,
        state: status.state ?? (status.connected ? 'connected' : null),
        lastError: status.lastError ?? null,
      };
      this.#handle.db
        .insert(botStatus)
        .values({ id: SINGLE_ROW_ID, ...values })
        .onConflictDoUpdate({ target: botStatus.id, set: values })
        .run();
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
        .where(eq(botStatus.id, sql`${SINGLE_ROW_ID}`))
        .get();
      if (!row) return null;
      return {
        connected: row.connected,
        latencyMs: row.latencyMs,
        guilds: row.guilds,
        heartbeatAt: row.heartbeatAt,
        mock: row.mock,
        state: isConnectionState(row.state) ? row.state : undefined,
        lastError: row.lastError,
      };
    } catch (error) {
      throw toCoachwireError(this.#handle.path, 'read', error);
    }
  }
}
