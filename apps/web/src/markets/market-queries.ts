import { useQuery } from '@tanstack/react-query';
import { getJsonOrNull, query } from '../api/queries';
import type { Page } from '../api/types';
import { type ChartSeries, normalizeHistory, normalizeLeaderboard, normalizeTrades } from './market-shapes';
import type { CoachCalls, LeaderboardEntry, Market, Trade } from './market-types';

// Every market read answers null when the API has no such route yet (404): the pages then show a calm
// "markets are not available" instead of an error, and light up once the routes exist.

export const marketKeys = {
  all: ['markets'] as const,
  list: (filter: Record<string, string | undefined>) => ['markets', 'list', filter] as const,
  one: (id: string) => ['markets', 'one', id] as const,
  history: (id: string) => ['markets', 'history', id] as const,
  trades: (id: string) => ['markets', 'trades', id] as const,
  leaderboard: (guildId: string, period: string) => ['markets', 'leaderboard', guildId, period] as const,
  coachCalls: ['coach-calls'] as const,
  coachCallsOf: (coach: string) => ['coach-calls', coach] as const,
};

/** Markets are live but also polled slowly, in case a market event type is one the page does not know. */
const MARKET_REFRESH_MS = 15_000;

export function useMarkets(filter: { status?: string; plan_id?: number; guild_id?: string }) {
  const params = {
    status: filter.status,
    plan_id: filter.plan_id === undefined ? undefined : String(filter.plan_id),
    guild_id: filter.guild_id,
  };
  return useQuery({
    queryKey: marketKeys.list(params),
    queryFn: ({ signal }) =>
      getJsonOrNull<Page<Market> | Market[]>(`/api/v1/markets?${query({ ...params, limit: 100 })}`, {
        signal,
      }).then((body) => (body === null ? null : Array.isArray(body) ? body : body.data)),
    refetchInterval: MARKET_REFRESH_MS,
  });
}

export function useMarket(id: string) {
  return useQuery({
    queryKey: marketKeys.one(id),
    queryFn: ({ signal }) => getJsonOrNull<Market>(`/api/v1/markets/${encodeURIComponent(id)}`, { signal }),
    refetchInterval: MARKET_REFRESH_MS,
  });
}

export function useMarketHistory(market: Market | null | undefined) {
  const id = market ? String(market.id) : '';
  return useQuery({
    queryKey: marketKeys.history(id),
    enabled: market != null,
    queryFn: ({ signal }): Promise<ChartSeries | null> =>
      getJsonOrNull<unknown>(`/api/v1/markets/${encodeURIComponent(id)}/history`, { signal }).then((body) =>
        body === null || !market ? null : normalizeHistory(body, market.options),
      ),
  });
}

export function useMarketTrades(id: string) {
  return useQuery({
    queryKey: marketKeys.trades(id),
    queryFn: ({ signal }): Promise<Trade[] | null> =>
      getJsonOrNull<unknown>(`/api/v1/markets/${encodeURIComponent(id)}/trades?limit=20`, { signal }).then(
        (body) => (body === null ? null : normalizeTrades(body)),
      ),
  });
}

export function useLeaderboard(guildId: string | undefined, period: 'all' | 'month') {
  return useQuery({
    queryKey: marketKeys.leaderboard(guildId ?? '', period),
    enabled: guildId !== undefined,
    queryFn: ({ signal }): Promise<LeaderboardEntry[] | null> =>
      getJsonOrNull<unknown>(
        `/api/v1/guilds/${encodeURIComponent(guildId ?? '')}/leaderboard?period=${period}`,
        { signal },
      ).then((body) => (body === null ? null : normalizeLeaderboard(body))),
  });
}

export function useCoachCalls(coach: string) {
  return useQuery({
    queryKey: marketKeys.coachCallsOf(coach),
    queryFn: ({ signal }) =>
      getJsonOrNull<CoachCalls>(`/api/v1/coaches/${encodeURIComponent(coach)}/calls`, { signal }),
  });
}
