import { Type } from 'typebox';
import { nullable } from './nullable.js';

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
  },
  { title: 'Metrics' },
);

export const ProbeJson = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
});
