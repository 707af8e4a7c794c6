import { BOT_HEARTBEAT_MAX_INTERVAL_SECONDS, BOT_HEARTBEAT_STALE_MS } from '@coachwire/core';
import { type Static, Type } from 'typebox';

/** pino levels accepted by `logging.level`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

// `expected` is our own schema keyword: the phrase ConfigError uses when a value breaks the rule.
const nonNegativeInt = (description: string) => Type.Integer({ minimum: 0, description });
const positiveInt = (description: string) => Type.Integer({ minimum: 1, description });
const positiveNumber = (description: string) => Type.Number({ exclusiveMinimum: 0, description });
const idList = (description: string) =>
  Type.Array(Type.String({ pattern: '^[0-9]{1,25}$', expected: 'a Discord id (digits only)' }), {
    description,
  });

const rateLimit = (description: string) =>
  Type.Object(
    {
      max: positiveInt('Requests allowed per window.'),
      window_seconds: positiveNumber('Length of the window in seconds.'),
    },
    { additionalProperties: false, description },
  );

const discordSection = Type.Object(
  {
    token: Type.String({ description: 'Bot token (secret). Env DISCORD_BOT_TOKEN.', secret: true }),
    prefix: Type.String({ minLength: 1, maxLength: 5, description: 'Prefix of text commands.' }),
    guild_ids: idList('Listen only to these guilds when non-empty.'),
    channel_ids: idList('Listen only to these channels when non-empty.'),
    register_commands_on_start: Type.Boolean({ description: 'Register slash commands when the bot starts.' }),
    api_url: Type.String({
      description:
        "Discord's REST base URL; empty = https://discord.com/api. For a REST proxy, or the emulator in tests.",
    }),
    reconnect_attempts: nonNegativeInt('Gateway reconnect attempts before giving up.'),
    reconnect_delay_seconds: Type.Number({ minimum: 0, description: 'Delay between reconnect attempts.' }),
    connection_timeout_seconds: positiveNumber('Timeout of the initial Discord connection.'),
    max_chart_attachments: nonNegativeInt('Chart images kept per plan.'),
    edit_window_minutes: nonNegativeInt('A message edited within this window updates its plan.'),
    heartbeat_interval_seconds: Type.Number({
      exclusiveMinimum: 0,
      maximum: BOT_HEARTBEAT_MAX_INTERVAL_SECONDS,
      expected:
        `a number of seconds greater than 0 and at most ${BOT_HEARTBEAT_MAX_INTERVAL_SECONDS}: a heartbeat ` +
        `older than ${BOT_HEARTBEAT_STALE_MS / 1000} s means the bot is gone, for /health and for another bot ` +
        'starting on the same database',
      description:
        "How often the bot writes its heartbeat row (read by the API's /health, and by a second bot, which refuses to start while it is fresh).",
    }),
  },
  { additionalProperties: false },
);

const apiKey = Type.Object(
  {
    name: Type.String({ minLength: 1, description: 'Who holds the key (shown in logs).' }),
    sha256: Type.String({
      pattern: '^[0-9a-fA-F]{64}$',
      expected: '64 hexadecimal characters (the SHA-256 of the key)',
      description: 'SHA-256 of the key, hex (secret).',
      secret: true,
    }),
  },
  { additionalProperties: false },
);

const apiSection = Type.Object(
  {
    host: Type.String({ minLength: 1, description: 'Address the API listens on.' }),
    port: Type.Integer({ minimum: 1, maximum: 65535, description: 'Port the API listens on.' }),
    keys: Type.Array(apiKey, { description: 'API keys; writes need one.' }),
    require_key_for_reads: Type.Boolean({ description: 'Require an API key for GET requests too.' }),
    trust_proxy: Type.Boolean({
      description:
        'Trust X-Forwarded-* headers from the one reverse proxy in front (its last X-Forwarded-For entry).',
    }),
    max_sse_streams: positiveInt('Concurrent server-sent event streams.'),
    max_sse_streams_per_client: positiveInt(
      'Concurrent server-sent event streams of one client: an API key, else an address (429 past it).',
    ),
    sse_heartbeat_seconds: positiveNumber('Interval of SSE keep-alive comments.'),
    shutdown_timeout_seconds: positiveNumber(
      "Grace period on shutdown: for the API's open requests and the bot's commands in flight.",
    ),
    request_timeout_seconds: positiveNumber(
      'A request whose headers and body have not all arrived by then is answered 408 and its connection closed.',
    ),
    max_event_loop_delay_ms: nonNegativeInt(
      'Answer 503 (Retry-After) while the event loop lags more than this; 0 turns load shedding off.',
    ),
    event_replay_max: positiveInt(
      'Most events one Last-Event-ID replay sends; a client further behind gets a `resync` event instead.',
    ),
    event_log_max_age_days: positiveNumber(
      'Events older than this are pruned (the newest event_replay_max are kept).',
    ),
    event_log_max_events: positiveInt(
      'At most this many events are kept (never fewer than event_replay_max).',
    ),
  },
  { additionalProperties: false },
);

const loggingSection = Type.Object(
  {
    level: Type.Enum([...LOG_LEVELS], { description: 'Lowest level written.' }),
    file: Type.String({ description: 'Rotating JSON log file; "" disables it.' }),
    max_size_mb: positiveNumber('Size at which the log file rotates.'),
    backup_count: nonNegativeInt('Rotated files kept.'),
  },
  { additionalProperties: false },
);

const coach = Type.Object(
  {
    id: Type.String({
      pattern: '^[a-z0-9]{1,16}$',
      expected: '1 to 16 lower-case letters or digits',
      description: 'Coach id used in commands and URLs.',
    }),
    name: Type.String({ minLength: 1, description: 'Display name.' }),
    role_ids: idList('Roles allowed to post as this coach; empty = anyone.'),
    user_ids: idList('Users allowed to post as this coach; empty = anyone.'),
  },
  { additionalProperties: false },
);

/** The TypeBox schema of the whole configuration; its layout is the YAML file's layout. */
export const configSchema = Type.Object(
  {
    discord: discordSection,
    database: Type.Object(
      {
        path: Type.String({ minLength: 1, description: 'SQLite database file (used when url is empty).' }),
        // The URL may carry the password, so it is a secret: never printed whole (see redactConfig).
        url: Type.String({
          pattern: '^(|postgres(ql)?://.+)$',
          expected: 'empty (SQLite) or a postgres:// URL',
          description: 'PostgreSQL URL (postgres://user:pass@host:5432/db); empty = SQLite at path.',
          secret: true,
        }),
        pool_size: Type.Integer({
          minimum: 1,
          maximum: 200,
          description: 'PostgreSQL connections per process.',
        }),
      },
      { additionalProperties: false },
    ),
    api: apiSection,
    logging: loggingSection,
    cache: Type.Object(
      {
        ttl_seconds: nonNegativeInt('How long cached plans stay fresh.'),
        max_size: nonNegativeInt('Entries kept in the cache.'),
      },
      { additionalProperties: false },
    ),
    mock: Type.Object(
      {
        enabled: Type.Boolean({ description: 'Run against the Discord emulator with mock data.' }),
        simulate_posts: Type.Boolean({ description: 'Post mock plans periodically in mock mode.' }),
        post_interval_seconds: positiveNumber('Interval between simulated posts.'),
      },
      { additionalProperties: false },
    ),
    coaches: Type.Array(coach, { minItems: 1, description: 'The coaches whose plans are kept.' }),
    timezone: Type.String({
      expected: 'an IANA time zone such as America/New_York',
      description: 'Zone of "today".',
    }),
    admins: Type.Object(
      { user_ids: idList('Admin users.'), role_ids: idList('Admin roles.') },
      { additionalProperties: false },
    ),
    rate_limits: Type.Object(
      {
        bot_per_user: rateLimit('Bot commands per user.'),
        bot_per_guild: rateLimit('Bot commands per guild.'),
        api_per_ip: rateLimit('API requests per client address.'),
        api_per_key: rateLimit('API requests per API key.'),
      },
      { additionalProperties: false },
    ),
    cors: Type.Object(
      {
        origins: Type.Array(Type.String({ minLength: 1 }), {
          description: 'Origins allowed for GET; "*" = any.',
        }),
        write_origins: Type.Array(Type.String({ minLength: 1 }), {
          description: 'Origins allowed for writes.',
        }),
      },
      { additionalProperties: false },
    ),
    charts: Type.Object(
      {
        dir: Type.String({ minLength: 1, description: 'Directory of stored chart images.' }),
        max_bytes: positiveInt('Largest chart image accepted.'),
        allowed_hosts: Type.Array(Type.String({ minLength: 1 }), {
          description: 'Hosts charts are fetched from.',
        }),
        public_base_url: Type.String({ description: 'Base URL of chart links; "" = the API itself.' }),
        download_timeout_seconds: positiveNumber('Timeout of one chart download.'),
        download_retries: nonNegativeInt('Retries of a failed chart download.'),
      },
      { additionalProperties: false },
    ),
    points: Type.Object(
      {
        starting_balance: nonNegativeInt('Points granted when a member first uses points.'),
        daily_amount: nonNegativeInt('Points a member may claim once per trading day.'),
      },
      { additionalProperties: false },
    ),
    markets: Type.Object(
      {
        max_bet: positiveInt('Most points one bet may stake.'),
        unresolve_window_hours: nonNegativeInt('Hours after resolution during which an admin may unresolve.'),
        auto_cancel_after_days: positiveInt('A market unresolved this many days after close is cancelled.'),
        embed_update_seconds: positiveNumber(
          'Least time between two edits of one market message; edits in between are coalesced.',
        ),
        sweep_seconds: positiveNumber(
          'How often the bot sweeps markets (close announcements, auto-cancel); the API auto-cancels as often.',
        ),
        coach_calls: Type.Object(
          {
            enabled: Type.Boolean({
              description:
                "Open a Yes/No market on each coach's daily plan when it is posted (always on in mock mode).",
            }),
            close_time: Type.String({
              pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$',
              expected: 'a time HH:MM (24-hour)',
              description:
                "When coach-call markets close, in the configured timezone (at the exchange's close when that is earlier).",
            }),
          },
          { additionalProperties: false },
        ),
        creator_role_ids: idList('Roles allowed to create markets; empty = everyone.'),
        creator_with_position_may_resolve: Type.Boolean({
          description: 'Let a creator who holds a position resolve or cancel their own market.',
        }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

/** The validated configuration; keys are snake_case exactly as in the YAML file. */
export type CoachwireConfig = Static<typeof configSchema>;

/** Every key optional, recursively; arrays are replaced whole, never merged. */
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;
