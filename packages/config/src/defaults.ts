import type { CoachwireConfig } from './schema.js';

const perMinute = (max: number) => ({ max, window_seconds: 60 });

/** Built-in defaults: the lowest layer; paths are relative to the working directory until loaded. */
export const DEFAULT_CONFIG: CoachwireConfig = deepFreeze({
  discord: {
    token: '',
    prefix: '!',
    guild_ids: [],
    channel_ids: [],
    register_commands_on_start: false,
    api_url: '',
    reconnect_attempts: 5,
    reconnect_delay_seconds: 5,
    connection_timeout_seconds: 10,
    max_chart_attachments: 10,
    edit_window_minutes: 15,
    heartbeat_interval_seconds: 15,
  },
  database: { path: './data/coach_plans.db', url: '', pool_size: 10 },
  api: {
    host: '0.0.0.0',
    port: 5000,
    keys: [],
    require_key_for_reads: false,
    trust_proxy: false,
    max_sse_streams: 100,
    max_sse_streams_per_client: 20,
    sse_heartbeat_seconds: 15,
    shutdown_timeout_seconds: 10,
    request_timeout_seconds: 30,
    max_event_loop_delay_ms: 2000,
    event_replay_max: 10_000,
    event_log_max_age_days: 30,
    event_log_max_events: 100_000,
  },
  logging: { level: 'info', file: './logs/coachwire.log', max_size_mb: 10, backup_count: 5 },
  cache: { ttl_seconds: 3600, max_size: 100 },
  mock: { enabled: false, simulate_posts: true, post_interval_seconds: 30 },
  coaches: [
    { id: 'd', name: 'Coach D (Day Trading)', role_ids: [], user_ids: [] },
    { id: 'i', name: 'Coach I (Intraday)', role_ids: [], user_ids: [] },
    { id: 's', name: 'Coach S (Swing)', role_ids: [], user_ids: [] },
    { id: 'n', name: 'Coach N (News/Events)', role_ids: [], user_ids: [] },
  ],
  timezone: 'America/New_York',
  admins: { user_ids: [], role_ids: [] },
  rate_limits: {
    bot_per_user: perMinute(10),
    bot_per_guild: perMinute(100),
    api_per_ip: perMinute(300),
    api_per_key: perMinute(1200),
  },
  cors: { origins: ['*'], write_origins: [] },
  charts: {
    dir: './data/charts',
    max_bytes: 8 * 1024 * 1024,
    allowed_hosts: ['cdn.discordapp.com', 'media.discordapp.net'],
    public_base_url: '',
    download_timeout_seconds: 15,
    download_retries: 3,
  },
  points: { starting_balance: 1000, daily_amount: 100 },
  markets: {
    max_bet: 10_000,
    unresolve_window_hours: 48,
    auto_cancel_after_days: 7,
    embed_update_seconds: 5,
    sweep_seconds: 30,
    coach_calls: { enabled: false, close_time: '16:00' },
    creator_role_ids: [],
    creator_with_position_may_resolve: false,
  },
});

// Frozen so no caller can change the defaults every later load starts from.
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
