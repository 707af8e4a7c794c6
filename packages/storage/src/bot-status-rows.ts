import type { BotConnectionState, BotStatus } from '@coachwire/core';

// The heartbeat row's mapping, shared by the SQLite and PostgreSQL stores (same columns in both).

/** The heartbeat row's single id (a CHECK keeps the table to this one row). */
export const BOT_STATUS_ROW_ID = 1;

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

/** The heartbeat row's columns (without the id). */
export interface BotStatusValues {
  readonly connected: boolean;
  readonly latencyMs: number | null;
  readonly guilds: number;
  readonly heartbeatAt: string;
  readonly mock: boolean;
  readonly state: string | null;
  readonly lastError: string | null;
}

/** A status as the row stores it; a status without a state gets the one its `connected` implies. */
export function botStatusValues(status: BotStatus): BotStatusValues {
  return {
    connected: status.connected,
    latencyMs: status.latencyMs,
    guilds: status.guilds,
    heartbeatAt: status.heartbeatAt,
    mock: status.mock,
    state: status.state ?? (status.connected ? 'connected' : null),
    lastError: status.lastError ?? null,
  };
}

/** The row as core's BotStatus; rows from before the state column have no state, and an unknown one is dropped. */
export function toBotStatus(row: BotStatusValues): BotStatus {
  return {
    connected: row.connected,
    latencyMs: row.latencyMs,
    guilds: row.guilds,
    heartbeatAt: row.heartbeatAt,
    mock: row.mock,
    state: isConnectionState(row.state) ? row.state : undefined,
    lastError: row.lastError,
  };
}
