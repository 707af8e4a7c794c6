import { Type } from 'typebox';
import { nullable } from './nullable.js';

// Shapes of the endpoints the old Flask API served; TradingAgents' coach agents parse them field for field.

export const LegacyPlanQuery = Type.Object({
  coach: Type.Optional(Type.String({ description: 'Coach id: d, i, s or n (also `coach_d`, any case).' })),
  date: Type.Optional(
    Type.String({ description: 'YYYY-MM-DD; defaults to today in the configured timezone.' }),
  ),
});

export const LegacyDateQuery = Type.Object({
  date: Type.Optional(
    Type.String({ description: 'YYYY-MM-DD; defaults to today in the configured timezone.' }),
  ),
});

export const LegacyPlanJson = Type.Object(
  {
    plan: Type.String({ description: 'The plan text, or "No plan available for coach_d on DATE".' }),
    charts: Type.Array(Type.String(), { description: 'Chart image URLs.' }),
    author: Type.Optional(Type.String({ description: "Author's display name." })),
    created_at: Type.Optional(Type.String({ description: 'ISO-8601 UTC.' })),
    edited_at: Type.Optional(nullable(Type.String({ description: 'ISO-8601 UTC; null when never edited.' }))),
    channel: Type.Optional(nullable(Type.String({ description: 'Channel name.' }))),
  },
  { title: 'LegacyPlan', description: 'When there is no plan only `plan` and `charts` are present.' },
);

export const LegacyAllEntryJson = Type.Object(
  {
    plan: Type.String(),
    charts: Type.Array(Type.String()),
    author: Type.String(),
    created_at: Type.String(),
    edited_at: nullable(Type.String()),
  },
  { title: 'LegacyAllEntry' },
);

export const LegacyAllJson = Type.Record(Type.String({ pattern: '^coach_[a-z0-9]+$' }), LegacyAllEntryJson, {
  title: 'LegacyAllPlans',
  description: 'Keyed `coach_d`, `coach_i`, ...; only coaches with a plan on the date appear.',
});

export const LegacyHistoryJson = Type.Object(
  {
    history: Type.Array(
      Type.Object({
        plan_text: Type.String({ description: 'The text the plan had before this edit.' }),
        edited_by: Type.String({ description: "Editor's display name." }),
        edited_at: Type.String(),
      }),
    ),
  },
  { title: 'LegacyHistory' },
);

export const RootJson = Type.Object({
  name: Type.String(),
  version: Type.String(),
  endpoints: Type.Array(Type.String()),
});
