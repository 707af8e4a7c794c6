import { type QueryClient, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { ApiError, getJson, getJsonOrNull } from './http';
import type { Calendar, Coach, Health, Page, Plan, PlanRevision } from './types';

/** Query keys: live updates invalidate by prefix (every ['plans', ...] on a plan event). */
export const keys = {
  calendar: ['calendar'] as const,
  coaches: ['coaches'] as const,
  plans: ['plans'] as const,
  plansOn: (date: string) => ['plans', 'date', date] as const,
  anyPlan: ['plans', 'any'] as const,
  coachPlans: (coach: string) => ['plans', 'coach', coach] as const,
  history: (planId: number) => ['plans', 'history', planId] as const,
  health: ['health'] as const,
};

const query = (params: Record<string, string | number | undefined>) => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) search.set(key, String(value));
  return search.toString();
};

const calendarQuery = {
  queryKey: keys.calendar,
  queryFn: ({ signal }: { signal: AbortSignal }) => getJson<Calendar>('/api/v1/calendar', { signal }),
  staleTime: 60_000,
};

/** The configured timezone and today's date; refreshed every minute so "today" follows midnight. */
export function useCalendar() {
  return useQuery({ ...calendarQuery, refetchInterval: 60_000 });
}

const plansOnQuery = (date: string | undefined) => ({
  queryKey: keys.plansOn(date ?? ''),
  queryFn: ({ signal }: { signal: AbortSignal }) =>
    getJson<Page<Plan>>(`/api/v1/plans?${query({ date, limit: 200 })}`, { signal }).then((page) => page.data),
});

/**
 * Starts the landing page's reads before React first renders: today's plans wait on the calendar, so
 * chaining them here saves a render's worth of time on a cold load.
 */
export function prefetchToday(client: QueryClient): void {
  void client
    .fetchQuery(calendarQuery)
    .then((calendar) => client.prefetchQuery(plansOnQuery(calendar.today)))
    .catch(() => undefined); // the page's own queries report failures
}

export function useCoaches() {
  return useQuery({
    queryKey: keys.coaches,
    queryFn: ({ signal }) =>
      getJson<{ data: Coach[] }>('/api/v1/coaches', { signal }).then((page) => page.data),
    staleTime: 5 * 60_000,
  });
}

/** Every live plan of one trading date (one per coach at most). */
export function usePlansOn(date: string | undefined) {
  return useQuery({
    queryKey: keys.plansOn(date ?? ''),
    enabled: date !== undefined,
    queryFn: ({ signal }) =>
      getJson<Page<Plan>>(`/api/v1/plans?${query({ date, limit: 200 })}`, { signal }).then(
        (page) => page.data,
      ),
  });
}

/**
 * The trading date of the newest plan (null when the database has none): the first-run message shows when
 * there is none, and the date picker goes forward as far as it (coaches post ahead for the next trading day
 * on weekends and market holidays).
 */
export function useNewestPlanDate() {
  return useQuery({
    queryKey: keys.anyPlan,
    queryFn: ({ signal }) =>
      getJson<Page<Plan>>('/api/v1/plans?limit=1', { signal }).then(
        (page) => page.data[0]?.trading_date ?? null,
      ),
  });
}

/** A coach's plans, newest first, a page at a time. */
export function useCoachPlans(coach: string) {
  return useInfiniteQuery({
    queryKey: keys.coachPlans(coach),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      getJson<Page<Plan>>(`/api/v1/plans?${query({ coach, limit: 20, cursor: pageParam })}`, { signal }),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

/** The earlier texts of a plan, newest first. */
export function usePlanHistory(planId: number, enabled: boolean) {
  return useQuery({
    queryKey: keys.history(planId),
    enabled,
    queryFn: ({ signal }) =>
      getJson<{ data: PlanRevision[] }>(`/api/v1/plans/${planId}/history`, { signal }).then(
        (page) => page.data,
      ),
  });
}

/**
 * `/health`, every 5 s; its 503 (database down) is an answer to show, not an error. A 503 that is not a health
 * report (an overloaded API shedding load, a proxy) is an error: the page has no components to show from it.
 */
export function useHealth() {
  return useQuery({
    queryKey: keys.health,
    queryFn: async ({ signal }) => {
      const body = await getJson<unknown>('/health', { signal, acceptStatuses: [503] });
      if (isHealth(body)) return body;
      const error = body as { message?: unknown; code?: unknown } | null;
      throw new ApiError(
        503,
        typeof error?.message === 'string' ? error.message : 'The API answered /health without its status.',
        typeof error?.code === 'string' ? error.code : null,
      );
    },
    refetchInterval: 5_000,
  });
}

function isHealth(body: unknown): body is Health {
  const components = (body as Partial<Health> | null)?.components;
  return typeof components?.database === 'object' && typeof components.discord_bot === 'object';
}

export { getJson, getJsonOrNull, query };
