import { Type } from 'typebox';
import { nullable } from './nullable.js';

const isoTimestamp = (description: string) => Type.String({ description });

export const ChartJson = Type.Object(
  {
    id: Type.Integer(),
    url: Type.String({ description: 'Stable URL of the chart image.' }),
    source_url: Type.String({ description: 'The URL the chart came from (e.g. a Discord attachment).' }),
    filename: Type.String(),
    content_type: nullable(Type.String()),
    size: nullable(Type.Integer()),
    width: nullable(Type.Integer()),
    height: nullable(Type.Integer()),
    sha256: nullable(Type.String({ description: 'SHA-256 of the archived image, once archived.' })),
  },
  { title: 'Chart' },
);

export const PersonJson = Type.Object(
  {
    id: nullable(
      Type.String({ description: 'Discord user id, `api-key:<name>`, or null for imported plans.' }),
    ),
    name: Type.String(),
  },
  { title: 'Person' },
);

export const ChannelJson = Type.Object(
  { id: nullable(Type.String()), name: nullable(Type.String()) },
  { title: 'Channel', description: 'The Discord channel it was posted in; both null for API posts.' },
);

export const PlanJson = Type.Object(
  {
    id: Type.Integer(),
    coach: Type.String({ description: 'Coach id, e.g. `d`.' }),
    coach_name: Type.String(),
    trading_date: Type.String({ description: 'YYYY-MM-DD in the configured timezone.' }),
    text: Type.String(),
    author: PersonJson,
    guild_id: nullable(Type.String()),
    channel: ChannelJson,
    source_message_id: nullable(Type.String()),
    charts: Type.Array(ChartJson),
    created_at: isoTimestamp('ISO-8601 UTC.'),
    edited_at: nullable(isoTimestamp('ISO-8601 UTC; null when never edited.')),
    deleted_at: nullable(isoTimestamp('ISO-8601 UTC; null while live.')),
  },
  { title: 'Plan' },
);

export const PlanPageJson = Type.Object(
  {
    data: Type.Array(PlanJson),
    next_cursor: nullable(
      Type.String({ description: 'Pass as `cursor` for the next page; null on the last.' }),
    ),
  },
  { title: 'PlanPage' },
);

export const PlanRevisionJson = Type.Object(
  {
    id: Type.Integer(),
    plan_id: Type.Integer(),
    previous_text: Type.String({ description: 'The text the plan had before this edit.' }),
    editor: PersonJson,
    edited_at: Type.String(),
  },
  { title: 'PlanRevision' },
);

export const PlanHistoryJson = Type.Object({ data: Type.Array(PlanRevisionJson) });

export const CoachListJson = Type.Object({
  data: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
});

const dateParam = (description: string) =>
  Type.String({ description: `${description} (YYYY-MM-DD).`, maxLength: 64 });

export const PlanListQuery = Type.Object({
  date: Type.Optional(dateParam('Trading date')),
  coach: Type.Optional(Type.String({ maxLength: 64 })),
  author_id: Type.Optional(Type.String({ maxLength: 64, description: 'Discord user id of the author.' })),
  from: Type.Optional(dateParam('First trading date, inclusive')),
  to: Type.Optional(dateParam('Last trading date, inclusive')),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 256, description: '`next_cursor` of the previous page.' })),
});

export const PlanIdParams = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'Plan id.' }),
});

export const CoachDateParams = Type.Object({
  coach: Type.String({ maxLength: 64 }),
  date: dateParam('Trading date'),
});

const ChartInputJson = Type.Object(
  {
    url: Type.String({
      minLength: 1,
      maxLength: 2048,
      description: 'An http:// or https:// link to the image.',
    }),
    filename: Type.String({ minLength: 1, maxLength: 255 }),
    content_type: Type.Optional(
      nullable(
        Type.String({
          maxLength: 255,
          description:
            'png, jpg, gif, webp or bmp (`image/png`, …); when absent, the filename extension says. Anything else is refused.',
        }),
      ),
    ),
  },
  { additionalProperties: false },
);

export const CreatePlanBody = Type.Object(
  {
    coach: Type.String({ minLength: 1, maxLength: 64 }),
    text: Type.String({ maxLength: 100_000 }),
    date: Type.Optional(dateParam('Trading date; defaults to today in the configured timezone')),
    trading_date: Type.Optional(dateParam('Alias of `date`')),
    charts: Type.Optional(Type.Array(ChartInputJson, { maxItems: 50 })),
  },
  { additionalProperties: false },
);

export const UpdatePlanBody = Type.Object(
  {
    text: Type.String({ maxLength: 100_000 }),
    charts: Type.Optional(Type.Array(ChartInputJson, { maxItems: 50 })),
  },
  { additionalProperties: false },
);
