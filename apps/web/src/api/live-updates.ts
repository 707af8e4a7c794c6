import type { QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { marketKeys } from '../markets/market-queries';
import { connection } from './connection';
import { keys } from './queries';
import type { StreamEvent } from './types';

const PLAN_EVENTS = ['plan.created', 'plan.updated', 'plan.deleted'];
// The stream asks for `market.*` and `points.*`, but an EventSource listens by exact name: these are the
// types the API sends (API_REFERENCE.md, /api/v1/events). A market closing by the clock sends none; the
// market pages poll slowly for that.
const MARKET_EVENTS = [
  'market.created',
  'market.traded',
  'market.resolved',
  'market.cancelled',
  'market.unresolved',
];
const POINTS_EVENTS = ['points.granted'];
/** What the stream is asked for: without `types` it would carry plan events only. */
const STREAM_TYPES = 'plan.*,market.*,points.*';
const MAX_RETRY_MS = 5_000;

/**
 * Keeps the shown data live through `/api/v1/events`: each event refetches the queries it affects.
 * When the stream drops, the browser's EventSource retries by itself; when it gives up (the API answered
 * an error), this reopens it with backoff, resuming after the last event seen.
 */
export function useLiveUpdates(queryClient: QueryClient): void {
  useEffect(() => {
    let source: EventSource | null = null;
    let lastEventId: string | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let everOpened = false;

    const onPlanEvent = () => {
      void queryClient.invalidateQueries({ queryKey: keys.plans });
      void queryClient.invalidateQueries({ queryKey: marketKeys.coachCalls });
    };
    const onMarketEvent = () => {
      void queryClient.invalidateQueries({ queryKey: marketKeys.all });
      void queryClient.invalidateQueries({ queryKey: marketKeys.coachCalls });
    };
    // A grant moves balances only: the leaderboards show them, nothing else does.
    const onPointsEvent = () => {
      void queryClient.invalidateQueries({ queryKey: marketKeys.leaderboards });
    };
    const listen = (names: readonly string[], handler: () => void) => (target: EventSource) => {
      for (const name of names) {
        target.addEventListener(name, (event) => {
          const message = event as MessageEvent<string>;
          if (message.lastEventId) lastEventId = message.lastEventId;
          if (isStreamEvent(message.data)) handler();
        });
      }
    };
    const listenToPlans = listen(PLAN_EVENTS, onPlanEvent);
    const listenToMarkets = listen(MARKET_EVENTS, onMarketEvent);
    const listenToPoints = listen(POINTS_EVENTS, onPointsEvent);

    const open = () => {
      const params = new URLSearchParams({ types: STREAM_TYPES });
      if (lastEventId) params.set('last_event_id', lastEventId);
      const current = new EventSource(`/api/v1/events?${params}`);
      source = current;
      current.onopen = () => {
        failures = 0;
        connection.streamUp();
        // A fresh stream starts at the newest event: refetch what is shown, so a change made between the
        // first fetch (or a gap) and now is not missed. After a gap, refetch everything shown.
        if (everOpened) void queryClient.invalidateQueries();
        else {
          void queryClient.invalidateQueries({ queryKey: keys.plans });
          void queryClient.invalidateQueries({ queryKey: marketKeys.all });
          void queryClient.invalidateQueries({ queryKey: marketKeys.coachCalls });
        }
        everOpened = true;
      };
      current.onerror = () => {
        connection.streamDown();
        if (current.readyState !== EventSource.CLOSED) return; // the browser is already retrying
        current.close();
        failures += 1;
        retryTimer = setTimeout(open, Math.min(MAX_RETRY_MS, 1000 * 2 ** Math.min(failures - 1, 5)));
      };
      listenToPlans(current);
      listenToMarkets(current);
      listenToPoints(current);
    };

    open();
    return () => {
      clearTimeout(retryTimer);
      source?.close();
    };
  }, [queryClient]);
}

function isStreamEvent(data: string): boolean {
  try {
    const parsed = JSON.parse(data) as Partial<StreamEvent>;
    return typeof parsed === 'object' && parsed !== null;
  } catch {
    return false;
  }
}
