import { Type } from 'typebox';

/** Every error the API answers with, whatever the route: `error` + `message` + `code` + `request_id`. */
export const ErrorResponse = Type.Object(
  {
    error: Type.String({ description: 'Short reason; on legacy routes the exact message the old API used.' }),
    message: Type.String({ description: 'What went wrong and how to fix it.' }),
    code: Type.String({ description: 'Stable code: VALIDATION, NOT_FOUND, UNAUTHORIZED, FORBIDDEN, ...' }),
    request_id: Type.String({ description: 'Echoes the X-Request-Id of the request.' }),
    error_id: Type.Optional(Type.String({ description: 'Ties a server error to its log line.' })),
    field: Type.Optional(Type.String({ description: 'The offending field of a VALIDATION error.' })),
    balance: Type.Optional(Type.Integer({ description: 'INSUFFICIENT_BALANCE: the balance.' })),
    required: Type.Optional(Type.Integer({ description: 'INSUFFICIENT_BALANCE: the points asked.' })),
    quote: Type.Optional(
      Type.Object(
        {
          market_id: Type.Integer(),
          option_id: Type.Integer(),
          side: Type.String(),
          amount: Type.Integer(),
          shares: Type.Number(),
          average_price: Type.Union([Type.Number(), Type.Null()]),
          probabilities_before: Type.Array(Type.Number()),
          probabilities_after: Type.Array(Type.Number()),
          payout_if_wins: Type.Union([Type.Integer(), Type.Null()]),
        },
        { description: 'PRICE_MOVED: what the same trade gives now.' },
      ),
    ),
  },
  { $id: 'ErrorResponse', title: 'Error' },
);

/** Error responses shared by every route, for the OpenAPI document. */
export const commonErrorResponses = {
  400: Type.Ref('ErrorResponse'),
  429: Type.Ref('ErrorResponse'),
  500: Type.Ref('ErrorResponse'),
  503: Type.Ref('ErrorResponse'),
} as const;
