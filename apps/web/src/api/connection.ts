import { useSyncExternalStore } from 'react';

/** What the page knows about its link to the API, for the banner. */
export interface ConnectionState {
  /** The last request could not reach the API (network error or a gateway's 502/503/504). */
  readonly apiUnreachable: boolean;
  /** When a request last succeeded: the banner says how old the shown data is. */
  readonly lastSuccessAt: number | null;
  /** The API refuses anonymous reads (api.require_key_for_reads): the dashboard cannot show anything. */
  readonly keyRequired: boolean;
  /** The event stream is down and reconnecting; live updates are paused. */
  readonly streamDown: boolean;
  /** The event stream is open: changes appear as they happen. */
  readonly streamOpen: boolean;
}

let state: ConnectionState = {
  apiUnreachable: false,
  lastSuccessAt: null,
  keyRequired: false,
  streamDown: false,
  streamOpen: false,
};
const listeners = new Set<() => void>();

function update(patch: Partial<ConnectionState>): void {
  const next = { ...state, ...patch };
  if (
    next.apiUnreachable === state.apiUnreachable &&
    next.keyRequired === state.keyRequired &&
    next.streamDown === state.streamDown &&
    next.streamOpen === state.streamOpen &&
    next.lastSuccessAt === state.lastSuccessAt
  ) {
    return;
  }
  state = next;
  for (const listener of listeners) listener();
}

export const connection = {
  reached: () => update({ apiUnreachable: false, keyRequired: false, lastSuccessAt: Date.now() }),
  unreachable: () => update({ apiUnreachable: true }),
  keyRequired: () => update({ keyRequired: true, apiUnreachable: false }),
  streamUp: () => update({ streamDown: false, streamOpen: true }),
  streamDown: () => update({ streamDown: true, streamOpen: false }),
  get: () => state,
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

/** The connection state, re-rendering when it changes. */
export function useConnection(): ConnectionState {
  return useSyncExternalStore(connection.subscribe, connection.get, connection.get);
}
