import { type Static, Type } from 'typebox';
import { nullable } from './nullable.js';

const BotState = Type.Union(
  [
    Type.Literal('connecting'),
    Type.Literal('retrying'),
    Type.Literal('connected'),
    Type.Literal('reconnecting'),
    Type.Literal('failed'),
    Type.Literal('stopped'),
    Type.Literal('not_running'),
  ],
  {
    description:
      'connecting/retrying: logging in (see last_error); reconnecting: the connection dropped; failed: gave up ' +
      '(see last_error); stopped: shut down; not_running: no recent heartbeat (the bot process is not running).',
  },
);
export type BotStateJson = Static<typeof BotState>;

export const HealthJson = Type.Object(
  {
    status: Type.Union([Type.Literal('healthy'), Type.Literal('unhealthy')]),
    timestamp: Type.String(),
    components: Type.Object({
      database: Type.Object({
        status: Type.Union([Type.Literal('up'), Type.Literal('down')]),
        plan_count: Type.Optional(
          Type.Integer({ description: 'Live plans; absent when the database is down.' }),
        ),
      }),
      discord_bot: Type.Object({
        status: Type.Union([Type.Literal('connected'), Type.Literal('disconnected')]),
        state: BotState,
        last_error: nullable(
          Type.String({
            description: 'Why the last login or connection failed, while retrying or after giving up.',
          }),
        ),
        mock: Type.Boolean({
          description: 'True when the bot runs in mock mode (built-in emulator, simulated coaches).',
        }),
        last_heartbeat: nullable(Type.String({ description: 'When the bot last wrote its heartbeat row.' })),
        latency_ms: nullable(Type.Number()),
        guilds: Type.Integer(),
      }),
    }),
  },
  { title: 'Health' },
);

export const MetricsJson = Type.Object(
  {
    timestamp: Type.String(),
    uptime_seconds: Type.Number(),
    requests: Type.Object({
      total: Type.Integer(),
      success: Type.Integer(),
      error: Type.Integer(),
      error_rate_percent: Type.Number(),
    }),
    database: Type.Object({
      total_plans: Type.Integer(),
      total_charts: Type.Integer(),
      total_edits: Type.Integer(),
      latest_plan: nullable(Type.String({ description: 'created_at of the newest live plan.' })),
    }),
    markets: Type.Union([
      Type.Object({
        open: Type.Integer({ description: 'Markets taking trades now.' }),
        bets: Type.Record(Type.String(), Type.Object({ bets: Type.Integer(), volume: Type.Integer() }), {
          description: 'Bets and points staked by mechanism since this process started (all processes).',
        }),
        points_in_circulation: Type.Record(Type.String(), Type.Integer(), { description: 'By guild.' }),
      }),
      Type.Null(),
    ]),
  },
  { title: 'Metrics' },
);

export const ProbeJson = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
});
