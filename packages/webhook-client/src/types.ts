/** Plan shape of the legacy `/api/coach-plans/` endpoint, identical to the old Python client's. */
export interface LegacyCoachPlan {
  plan: string;
  charts: string[];
  author?: string | null;
  created_at?: string | null;
  edited_at?: string | null;
  channel?: string | null;
  /** Present only on the fallback returned when the plan could not be fetched. */
  error?: string;
}

/** Answer of `/api/coach-plans/all`: only coaches with a plan, keyed `coach_d`, `coach_i`, ... */
export type LegacyCoachPlanMap = Record<string, LegacyCoachPlan>;

export interface PlanChart {
  id: number;
  url: string;
  source_url: string | null;
  filename: string | null;
  content_type: string | null;
  size: number | null;
  width: number | null;
  height: number | null;
  sha256: string | null;
}

/** A plan as served by the v1 API. */
export interface Plan {
  id: number;
  coach: string;
  coach_name: string;
  trading_date: string;
  text: string;
  author: { id: string; name: string };
  guild_id: string | null;
  channel: { id: string; name: string } | null;
  source_message_id: string | null;
  charts: PlanChart[];
  created_at: string;
  edited_at: string | null;
  deleted_at: string | null;
}

/** One page of `GET /api/v1/plans`. */
export interface PlanPage {
  data: Plan[];
  next_cursor: string | null;
}

/** Filters of `GET /api/v1/plans`; all optional, dates as YYYY-MM-DD. */
export interface PlanFilter {
  date?: string;
  coach?: string;
  author_id?: string;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

export interface PlanRevision {
  id: number;
  plan_id: number;
  previous_text: string;
  editor: { id: string; name: string };
  edited_at: string;
}

export interface Coach {
  id: string;
  name: string;
}

/** Body of `POST /api/v1/plans`; extra fields are passed through to the API unchanged. */
export interface CreatePlanInput {
  coach: string;
  text: string;
  trading_date?: string;
  [field: string]: unknown;
}

/** Body of `PATCH /api/v1/plans/:id`. */
export interface UpdatePlanInput {
  text?: string;
  [field: string]: unknown;
}

export interface HealthReport {
  status: 'healthy' | 'unhealthy';
  timestamp: string;
  components: {
    database: { status: string; plan_count?: number };
    discord_bot: {
      status: string;
      last_heartbeat?: string | null;
      latency_ms?: number | null;
      guilds?: number;
    };
  };
}

export interface ServerMetrics {
  timestamp: string;
  uptime_seconds: number;
  requests: { total: number; success: number; error: number; error_rate_percent: number };
  database: { total_plans: number; total_charts: number; total_edits: number; latest_plan: unknown };
}

/** A change pushed by `GET /api/v1/events`. */
export interface PlanEvent {
  id: number;
  type: string;
  plan_id: number;
  coach: string;
  trading_date: string;
  author_id?: string;
  author_name?: string;
  edited_at?: string | null;
  deleted_at?: string | null;
  occurred_at?: string;
}

/** Counters returned by `client.getMetrics()`. */
export interface ClientMetrics {
  /** Calls made to the client's data methods (legacy and v1). */
  requests: number;
  /** Answers served from cache without downloading a body (fresh hits plus 304 revalidations). */
  cacheHits: number;
  cacheMisses: number;
  /** cacheHits / (cacheHits + cacheMisses), 0 when nothing was asked yet. */
  cacheHitRate: number;
  revalidations: number;
  staleServed: number;
  coalesced: number;
  apiSuccesses: number;
  apiErrors: number;
  apiRetries: number;
  circuitState: 'closed' | 'open' | 'half-open';
  cacheSize: number;
  cacheMaxEntries: number;
  cacheTtlSeconds: number;
}
