// The response shapes of the public /api/v1 reads the dashboard uses (snake_case, as the API sends them).

export interface Coach {
  id: string;
  name: string;
}

export interface Chart {
  id: number;
  url: string;
  filename: string;
  width: number | null;
  height: number | null;
}

export interface Person {
  id: string | null;
  name: string;
}

export interface Plan {
  id: number;
  coach: string;
  coach_name: string;
  trading_date: string;
  text: string;
  author: Person;
  charts: Chart[];
  created_at: string;
  edited_at: string | null;
}

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

export interface PlanRevision {
  id: number;
  plan_id: number;
  previous_text: string;
  editor: Person;
  edited_at: string;
}

export interface Calendar {
  timezone: string;
  today: string;
  now: string;
}

export interface Health {
  status: 'healthy' | 'unhealthy';
  timestamp: string;
  components: {
    database: { status: 'up' | 'down'; plan_count?: number };
    discord_bot: {
      status: 'connected' | 'disconnected';
      last_heartbeat: string | null;
      latency_ms: number | null;
      guilds: number;
    };
  };
}

/** One server-sent event's data line. Plan events carry the plan; market events at least the market id. */
export interface StreamEvent {
  id: number;
  type: string;
  plan_id?: number;
  market_id?: string | number;
  coach?: string;
  trading_date?: string;
}
