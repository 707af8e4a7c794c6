import { useQuery } from '@tanstack/react-query';
import { getJson, getJsonOrNull, query } from '../api/queries';
import type { Page } from '../api/types';
import type { CoachCalls, Leaderboard, Market, MarketHistory, Trade } from './market-types';

/** Query keys: a market event refetches every ['markets', ...]; a points event only the leaderboards. */
export const marketKeys = {
  all: ['markets'] as const,
  list: (filter: Record<string, string | undefined>) => ['markets', 'list', filter] as const,
  one: (id: string) => ['markets', 'one', id] as const,
  history: (id: string) => ['markets', 'history', id] as const,
  trades: (id: string) => ['markets', 'trades', id] as const,
  leaderboards: ['markets', 'leaderboard'] as const,
  leaderboard: (guildId: string, period: string) => ['markets', 'leaderboard', guildId, period] as const,
  coachCalls: ['coach-calls'] as const,
  coachCallsOf: (coach: string) => ['coach-calls', coach] as const,
};

/** Markets close by the clock, with no event: poll slowly so a status and countdown never go stale. */
const MARKET_REFRESH_MS = 15_000;

/** Markets, newest first: the first page of 100, which is what a dashboard shows. */
export function useMarkets(filter: { status?: string; plan_id?: number; guild_id?: string }) {
  const params = {
    status: filter.status,
    plan_id: filter.plan_id === undefined ? undefined : String(filter.plan_id),
    guild_id: filter.guild_id,
  };
  return useQuery({
    queryKey: marketKeys.list(params),
    queryFn: ({ signal }) =>
      getJson<Page<Market>>(`/api/v1/markets?${query({ ...params, limit: 100 })}`, { signal }).then(
        (page) => page.data,
      ),
    refetchInterval: MARKET_REFRESH_MS,
  });
}

/** At most this many pages of 100 open markets are read; past that the page says it shows only those. */
export const MAX_OPEN_MARKET_PAGES = 10;

export interface OpenMarkets {
  readonly markets: readonly Market[];
  /** False when there are more open markets than MAX_OPEN_MARKET_PAGES pages hold. */
  readonly complete: boolean;
}

/**
 * Every open market (up to 1,000), following the cursor: the Markets page sorts them by closing time, which the
 * API does not, so the first page of the newest left out the oldest markets, which tend to close soonest.
 */
export function useOpenMarkets() {
  return useQuery({
    queryKey: marketKeys.list({ status: 'open', pages: 'all' }),
    queryFn: async ({ signal }): Promise<OpenMarkets> => {
      const markets: Market[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_OPEN_MARKET_PAGES; page++) {
        const next = await getJson<Page<Market>>(
          `/api/v1/markets?${query({ status: 'open', limit: 100, cursor })}`,
          { signal },
        );
        markets.push(...next.data);
        if (!next.next_cursor) return { markets, complete: true };
        cursor = next.next_cursor;
      }
      return { markets, complete: false };
    },
    refetchInterval: MARKET_REFRESH_MS,
  });
}

/** One market; null when there is no market with that id (404). */
export function useMarket(id: string) {
  return useQuery({
    queryKey: marketKeys.one(id),
    queryFn: ({ signal }) => getJsonOrNull<Market>(`/api/v1/markets/${encodeURIComponent(id)}`, { signal }),
    refetchInterval: MARKET_REFRESH_MS,
  });
}

/** The market's probabilities over time; fetched once the market is known to exist. */
export function useMarketHistory(id: string, enabled: boolean) {
  return useQuery({
    queryKey: marketKeys.history(id),
    enabled,
    queryFn: ({ signal }) =>
      getJson<MarketHistory>(`/api/v1/markets/${encodeURIComponent(id)}/history`, { signal }),
  });
}

/** The latest 20 trades, newest first. */
export function useMarketTrades(id: string, enabled: boolean) {
  return useQuery({
    queryKey: marketKeys.trades(id),
    enabled,
    queryFn: ({ signal }) =>
      getJson<Page<Trade>>(`/api/v1/markets/${encodeURIComponent(id)}/trades?limit=20`, { signal }).then(
        (page) => page.data,
      ),
  });
}

export function useLeaderboard(guildId: string | undefined, period: 'all' | 'month') {
  return useQuery({
    queryKey: marketKeys.leaderboard(guildId ?? '', period),
    enabled: guildId !== undefined,
    queryFn: ({ signal }) =>
      getJson<Leaderboard>(
        `/api/v1/guilds/${encodeURIComponent(guildId ?? '')}/leaderboard?period=${period}`,
        { signal },
      ).then((board) => board.data),
  });
}

/** A coach's calls and scoreboard; null for a coach the API does not know (404). */
export function useCoachCalls(coach: string) {
  return useQuery({
    queryKey: marketKeys.coachCallsOf(coach),
    queryFn: ({ signal }) =>
      getJsonOrNull<CoachCalls>(`/api/v1/coaches/${encodeURIComponent(coach)}/calls`, { signal }),
  });
}
