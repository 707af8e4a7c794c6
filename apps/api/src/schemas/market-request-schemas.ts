import {
  DEFAULT_SUBSIDY,
  MAX_DESCRIPTION_LENGTH,
  MAX_GRANT,
  MAX_OPTION_LABEL_LENGTH,
  MAX_OPTIONS,
  MAX_QUESTION_LENGTH,
  MAX_SUBSIDY,
  MIN_OPTIONS,
  MIN_SUBSIDY,
} from '@coachwire/core';
import { Type } from 'typebox';

// Request bodies, parameters and query strings of the market routes.

const snowflake = (description: string) =>
  Type.String({ minLength: 1, maxLength: 64, pattern: '^[0-9A-Za-z_.:-]+$', description });
const userId = snowflake('The Discord user id acting (API writes act for this user).');
const optionRef = Type.Union(
  [
    // No upper bound here: an id the market does not have is an unknown option (404), as a label is.
    Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
    Type.String({ minLength: 1, maxLength: 50 }),
  ],
  {
    description: "The option's id, or its label (any case).",
  },
);

export const MarketIdParams = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'Market id.' }),
});

export const GuildParams = Type.Object({ guildId: snowflake('Discord guild id.') });
export const GuildUserParams = Type.Object({
  guildId: snowflake('Discord guild id.'),
  userId: snowflake('Discord user id.'),
});
export const CoachParams = Type.Object({ coach: Type.String({ minLength: 1, maxLength: 64 }) });

const limit = Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 }));
const cursor = Type.Optional(
  Type.String({ maxLength: 32, description: '`next_cursor` of the previous page.' }),
);

export const MarketListQuery = Type.Object({
  guild_id: Type.Optional(snowflake('Only markets of this guild.')),
  status: Type.Optional(
    Type.Union([
      Type.Literal('open'),
      Type.Literal('closed'),
      Type.Literal('resolved'),
      Type.Literal('cancelled'),
    ]),
  ),
  plan_id: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
  cursor,
  limit,
});

export const TradeListQuery = Type.Object({ cursor, limit });

export const HistoryQuery = Type.Object({
  points: Type.Optional(
    Type.Integer({ minimum: 2, maximum: 1000, default: 500, description: 'At most this many points.' }),
  ),
});

export const LeaderboardQuery = Type.Object({
  period: Type.Optional(Type.Union([Type.Literal('all'), Type.Literal('month')], { default: 'all' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })),
});

const dateParam = (description: string) =>
  Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: `${description} (YYYY-MM-DD).` });
export const CoachCallsQuery = Type.Object({
  from: Type.Optional(dateParam('First trading date, inclusive')),
  to: Type.Optional(dateParam('Last trading date, inclusive')),
});

export const CreateMarketBody = Type.Object(
  {
    guild_id: snowflake('The guild whose economy the market is in.'),
    user_id: userId,
    user_name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    question: Type.String({ minLength: 1, maxLength: MAX_QUESTION_LENGTH }),
    description: Type.Optional(Type.String({ maxLength: MAX_DESCRIPTION_LENGTH })),
    options: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: MAX_OPTION_LABEL_LENGTH }), {
        minItems: MIN_OPTIONS,
        maxItems: MAX_OPTIONS,
      }),
    ),
    mechanism: Type.Union([Type.Literal('cpmm'), Type.Literal('lmsr'), Type.Literal('pool')]),
    closes_at: Type.String({ minLength: 1, maxLength: 40, description: 'ISO-8601 date and time.' }),
    subsidy: Type.Optional(
      Type.Integer({
        minimum: MIN_SUBSIDY,
        maximum: MAX_SUBSIDY,
        description: `Points the creator puts in to start an AMM market (default ${DEFAULT_SUBSIDY}); a pool market takes none.`,
      }),
    ),
    initial_probability: Type.Optional(
      Type.Number({
        minimum: 0.01,
        maximum: 0.99,
        description:
          "A cpmm market's starting probability of its first option (default 0.5); lmsr and pool markets start with every option even and ignore it.",
      }),
    ),
    plan_id: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: Number.MAX_SAFE_INTEGER,
        description:
          "The plan this market is a call on: it counts as that coach's call. Only the plan's author (`user_id`) or an admin may open one (403 otherwise).",
      }),
    ),
  },
  { additionalProperties: false },
);

export const BetBody = Type.Object(
  {
    user_id: userId,
    user_name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    option: optionRef,
    amount: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'Points to stake.' }),
    min_shares: Type.Optional(
      Type.Number({ minimum: 0, maximum: 1e12, description: 'Refuse (PRICE_MOVED) below this.' }),
    ),
  },
  { additionalProperties: false },
);

export const SellBody = Type.Object(
  {
    user_id: userId,
    user_name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    option: optionRef,
    shares: Type.Number({ exclusiveMinimum: 0, maximum: 1e12, description: 'Shares to sell (decimal).' }),
    min_points: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })),
  },
  { additionalProperties: false },
);

export const QuoteBody = Type.Object(
  {
    option: optionRef,
    side: Type.Optional(Type.Union([Type.Literal('buy'), Type.Literal('sell')], { default: 'buy' })),
    amount: Type.Optional(
      Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'Buy: points.' }),
    ),
    shares: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1e12, description: 'Sell: shares.' })),
  },
  { additionalProperties: false },
);

export const ResolveBody = Type.Object(
  {
    user_id: userId,
    user_name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    outcome: optionRef,
    probability: Type.Optional(
      Type.Number({ minimum: 0, maximum: 1, description: 'With outcome MKT (cpmm).' }),
    ),
  },
  { additionalProperties: false },
);

export const CancelBody = Type.Object(
  {
    user_id: userId,
    user_name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  },
  { additionalProperties: false },
);

export const UnresolveBody = Type.Object(
  {
    user_id: userId,
    user_name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    reason: Type.String({ minLength: 1, maxLength: 500 }),
  },
  { additionalProperties: false },
);

export const GrantBody = Type.Object(
  {
    user_id: Type.Optional(snowflake('The admin acting; the API key by default.')),
    amount: Type.Integer({
      minimum: -MAX_GRANT,
      maximum: MAX_GRANT,
      description: 'Positive grants, negative removes.',
    }),
    reason: Type.String({ minLength: 1, maxLength: 500 }),
  },
  { additionalProperties: false },
);

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.String({
    description:
      '1–255 printable ASCII characters, e.g. a UUID. A retry with the same key and body replays what the first request did.',
  }),
});
