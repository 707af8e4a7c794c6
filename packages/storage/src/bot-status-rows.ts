import type { BotConnectionState, BotInstance, BotStatus } from '@coachwire/core';

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

/** The claim columns: the bot process holding the running-bot role (all null in rows from before claims). */
export interface BotHolderValues {
  readonly instanceId: string | null;
  readonly host: string | null;
  readonly pid: number | null;
}

/** The claim columns for a holder. */
export function botHolderValues(holder: BotInstance): BotHolderValues {
  return { instanceId: holder.instanceId, host: holder.host, pid: holder.pid };
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

/**
 * The row as core's BotStatus; rows from before the state column have no state, and an unknown one is dropped.
 * Rows from before claims (no instance id) have no holder.
 */
export function toBotStatus(row: BotStatusValues & Partial<BotHolderValues>): BotStatus {
  const status: BotStatus = {
    connected: row.connected,
    latencyMs: row.latencyMs,
    guilds: row.guilds,
    heartbeatAt: row.heartbeatAt,
    mock: row.mock,
    state: isConnectionState(row.state) ? row.state : undefined,
    lastError: row.lastError,
  };
  if (row.instanceId === null || row.instanceId === undefined) return status;
  return { ...status, holder: { instanceId: row.instanceId, host: row.host ?? '', pid: row.pid ?? 0 } };
}

/** The row's columns for a status: the holder's too when it names one (else an update leaves them as they are). */
export function botRowValues(status: BotStatus): BotStatusValues & Partial<BotHolderValues> {
  const values = botStatusValues(status);
  return status.holder ? { ...values, ...botHolderValues(status.holder) } : values;
}
