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
