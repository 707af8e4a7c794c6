/**
 * Per-call options of every method that asks the API. `signal` cancels the call as it does `fetch`: the
 * request in flight is ended, no wait or retry follows, and the call rejects with `signal.reason` (a
 * `DOMException` named `AbortError` unless you gave another reason). See the README for what an abort
 * means for coalesced reads, the cache, the circuit breaker and writes.
 */
export interface CallOptions {
  signal?: AbortSignal | undefined;
}

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

/** A chart of a v1 plan. */
export interface PlanChart {
  id: number;
  /** Stable URL of the image: the API's own once archived, else the original (e.g. Discord) URL. */
  url: string;
  /** The URL the chart came from (e.g. a Discord attachment, whose signed link expires). */
  source_url: string;
  filename: string;
  content_type: string | null;
  size: number | null;
  width: number | null;
  height: number | null;
  /** SHA-256 of the archived image; null until archived. */
  sha256: string | null;
}

/** Who wrote something: a Discord user id, `api-key:<name>`, or null for imported plans. */
export interface PlanPerson {
  id: string | null;
  name: string;
}

/** The Discord channel a plan was posted in; both fields are null for plans posted through the API. */
export interface PlanChannel {
  id: string | null;
  name: string | null;
}

/** A plan as served by the v1 API. */
export interface Plan {
  id: number;
  coach: string;
  coach_name: string;
  trading_date: string;
  text: string;
  author: PlanPerson;
  guild_id: string | null;
  channel: PlanChannel;
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
  editor: PlanPerson;
  edited_at: string;
}

export interface Coach {
  id: string;
  name: string;
}

/** A chart to attach when writing a plan: an image URL the bot's archiver may fetch. */
export interface PlanChartInput {
  url: string;
  filename: string;
  content_type?: string | null;
}

/** Body of `POST /api/v1/plans`; extra fields are passed through to the API unchanged. */
export interface CreatePlanInput {
  coach: string;
  text: string;
  /** YYYY-MM-DD; defaults to the server's today. `date` is accepted as an alias. */
  trading_date?: string;
  date?: string;
  charts?: PlanChartInput[];
  [field: string]: unknown;
}

/** Body of `PATCH /api/v1/plans/:id`: the API requires the new text; charts replace the old ones. */
export interface UpdatePlanInput {
  text: string;
  charts?: PlanChartInput[];
  [field: string]: unknown;
}

export interface HealthReport {
  status: 'healthy' | 'unhealthy';
  timestamp: string;
  components: {
    /** `plan_count` is absent when the database is down. */
    database: { status: 'up' | 'down'; plan_count?: number };
    discord_bot: {
      status: 'connected' | 'disconnected';
      /** What the bot is doing (older servers omit it); see the API reference. */
      state?: 'connecting' | 'retrying' | 'connected' | 'reconnecting' | 'failed' | 'stopped' | 'not_running';
      /** Why the last login or connection failed, while retrying or after giving up. */
      last_error?: string | null;
      /** True when the bot runs in mock mode. */
      mock?: boolean;
      last_heartbeat: string | null;
      latency_ms: number | null;
      guilds: number;
    };
  };
}

export interface ServerMetrics {
  timestamp: string;
  uptime_seconds: number;
  requests: { total: number; success: number; error: number; error_rate_percent: number };
  database: {
    total_plans: number;
    total_charts: number;
    total_edits: number;
    /** `created_at` of the newest live plan; null when there is none. */
    latest_plan: string | null;
  };
  /** Null while the database does not answer. */
  markets: {
    /** Markets taking trades now. */
    open: number;
    /** Bets and points staked by mechanism since the API process started. */
    bets: Record<string, { bets: number; volume: number }>;
    /** Points outside the house, by guild. */
    points_in_circulation: Record<string, number>;
  } | null;
}

/** A change pushed by `GET /api/v1/events`. */
export interface PlanEvent {
  id: number;
  /** `plan.created`, `plan.updated` or `plan.deleted`. */
  type: string;
  plan_id: number;
  coach: string;
  trading_date: string;
  /** The plan author's id (Discord user id or `api-key:<name>`); null for imported plans. */
  author_id: string | null;
  author_name: string;
  edited_at: string | null;
  deleted_at: string | null;
  occurred_at: string;
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
