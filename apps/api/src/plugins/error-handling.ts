import { STATUS_CODES } from 'node:http';
import { CoachwireError, newErrorId, ValidationError } from '@coachwire/core';
import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifySchemaValidationError,
} from 'fastify';
import { HttpError, STATUS_OF_CODE } from '../http/http-errors.js';
import { QuotedPriceMovedError } from '../http/quoted-errors.js';
import { frameworkErrorFor, missingHostError } from './client-errors.js';

interface ErrorBody {
  error: string;
  message: string;
  code: string;
  request_id: string;
  error_id?: string;
  field?: string;
  balance?: number;
  required?: number;
  quote?: unknown;
}

const CODE_OF_CLIENT_STATUS: Readonly<Record<number, string>> = {
  400: 'VALIDATION',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

/** What a client sees for any error: the message when it is safe, a generic sentence and an id for 5xx. */
export function errorReply(error: unknown, request: FastifyRequest): { status: number; body: ErrorBody } {
  const legacy = request.routeOptions.config?.legacyErrors === true;
  let status: number;
  let code: string;
  let message: string;
  let field: string | undefined;
  if (error instanceof CoachwireError) {
    status = STATUS_OF_CODE[error.code];
    code = error.code;
    message = error.message;
    if (error instanceof ValidationError && error.field !== undefined) field = requestFieldName(error.field);
  } else if (error instanceof HttpError) {
    status = error.statusCode;
    code = error.code;
    message = error.message;
  } else if (isFastifyClientError(error)) {
    status = error.statusCode!;
    code = CODE_OF_CLIENT_STATUS[status] ?? 'BAD_REQUEST';
    const contentType = request.headers['content-type']?.split(';')[0]?.trim() ?? '';
    const encoding = compressedBodyEncoding(request);
    if (encoding !== undefined && error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
      // A compressed body reads as broken JSON: say what the server does not do instead.
      status = 415;
      code = 'UNSUPPORTED_MEDIA_TYPE';
      message = `The body is sent with Content-Encoding: ${encoding}, which the API does not decode. Send it uncompressed.`;
    } else if (
      error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ||
      (error.validationContext === 'body' && !isJson(contentType))
    ) {
      // The body was not read as JSON at all: say how to send it rather than what the schema missed.
      message = `The body must be JSON, sent with Content-Type: application/json${contentType ? ` (got ${contentType.slice(0, 60)})` : ''}.`;
    } else if (error.validation) {
      const said = validationMessage(error);
      message = `Invalid request: ${said.message}.`;
      field = said.field;
    } else message = error.message;
  } else {
    status = isFastifyServerError(error) ? error.statusCode! : 500;
    code = status === 503 ? 'SERVICE_UNAVAILABLE' : 'INTERNAL';
    message = '';
  }
  if (status >= 500) {
    // The real cause (path, driver message, stack) goes to the log only.
    const errorId = error instanceof CoachwireError ? error.errorId : newErrorId();
    const what =
      status === 503 ? 'The service is temporarily unavailable' : 'Something went wrong on our side';
    const body: ErrorBody = {
      error: STATUS_CODES[status] ?? 'Error',
      // HttpError messages are our own sentences; anything else may carry a path or a driver message.
      message:
        error instanceof HttpError
          ? `${message} (error id ${errorId})`
          : `${what}. Try again shortly; if it persists, report error id ${errorId}.`,
      code,
      request_id: request.id,
      error_id: errorId,
    };
    return { status, body };
  }
  const body: ErrorBody = {
    error: legacy ? message : (STATUS_CODES[status] ?? 'Error'),
    message,
    code,
    request_id: request.id,
  };
  if (field !== undefined) body.field = field;
  if (error instanceof CoachwireError && error.code === 'INSUFFICIENT_BALANCE' && error.details) {
    body.balance = Number(error.details.balance);
    body.required = Number(error.details.required);
  }
  if (error instanceof QuotedPriceMovedError) body.quote = error.quote;
  return { status, body };
}

/**
 * The request's name for a field the domain names (`closesAt` is the body's `closes_at`): the API's bodies and
 * queries are snake_case, and its one such header is `Idempotency-Key`.
 */
function requestFieldName(field: string): string {
  if (field === 'idempotencyKey') return 'idempotency-key';
  return field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/**
 * A schema validation failure in words. A value outside a union of literals (`mechanism`, `status`, `period`,
 * `side`) says which values are allowed, and names the field, instead of repeating "must be equal to constant"
 * once per literal; every other failure keeps the validator's sentence.
 */
function validationMessage(error: FastifyError): { message: string; field?: string } {
  const errors = error.validation ?? [];
  const where = error.validationContext ?? 'request';
  const byPath = new Map<string, FastifySchemaValidationError[]>();
  for (const each of errors) byPath.set(each.instancePath, [...(byPath.get(each.instancePath) ?? []), each]);
  const literalUnions = [...byPath].filter(
    ([, group]) =>
      group.some((each) => each.keyword === 'anyOf') &&
      group.every((each) => each.keyword === 'anyOf' || each.keyword === 'const'),
  );
  if (literalUnions.length === 0) return { message: error.message };
  const sentences: string[] = [];
  for (const [path, group] of byPath) {
    if (!literalUnions.some(([unionPath]) => unionPath === path)) {
      for (const each of group) sentences.push(`${where}${path} ${each.message ?? 'is not valid'}`);
      continue;
    }
    const allowed = group
      .filter((each) => each.keyword === 'const')
      .map((each) => JSON.stringify(each.params.allowedValue));
    sentences.push(`${where}${path} must be one of ${allowed.join(', ')}`);
  }
  const [onlyPath] = literalUnions.length === 1 ? literalUnions[0]! : [''];
  const field = /^\/[^/]+$/.test(onlyPath) ? onlyPath.slice(1) : undefined;
  return field === undefined ? { message: sentences.join(', ') } : { message: sentences.join(', '), field };
}

/** The body's Content-Encoding when it names a compression (`gzip`, `br`, …), not `identity`. */
export function compressedBodyEncoding(request: FastifyRequest): string | undefined {
  const encoding = request.headers['content-encoding']?.trim().toLowerCase();
  if (encoding === undefined || encoding === '' || encoding === 'identity') return undefined;
  return /^[a-z0-9, -]{1,40}$/.test(encoding) ? encoding : 'a compression';
}

function isJson(contentType: string): boolean {
  return /^application\/([\w.+-]+\+)?json$/i.test(contentType);
}

function isFastifyClientError(error: unknown): error is FastifyError {
  const status = (error as Partial<FastifyError> | null)?.statusCode;
  return error instanceof Error && typeof status === 'number' && status >= 400 && status < 500;
}

function isFastifyServerError(error: unknown): error is FastifyError {
  const status = (error as Partial<FastifyError> | null)?.statusCode;
  return error instanceof Error && typeof status === 'number' && status >= 500 && status < 600;
}

/**
 * A 503 the API chose to answer (every event stream slot taken, the event loop too far behind): the server is
 * working as configured, so it is a warning without a stack, not an error of ours.
 */
function isDeliberateRefusal(error: unknown, status: number): boolean {
  if (status !== 503) return false;
  return error instanceof HttpError || (error as { code?: unknown } | null)?.code === 'FST_UNDER_PRESSURE';
}

/** When a client told 503 should try again. */
const RETRY_AFTER_SECONDS = '5';

function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { status, body } = errorReply(error, request);
  if (isDeliberateRefusal(error, status)) {
    request.log.warn({ code: body.code, reason: body.message, error_id: body.error_id }, 'request shed');
  } else if (status >= 500) request.log.error({ err: error, error_id: body.error_id }, 'request failed');
  else if (status !== 404) request.log.info({ code: body.code, reason: body.message }, 'request refused');
  if (error instanceof HttpError) reply.headers(error.headers);
  // A 503 is for a while (the database restarting, the server shedding load): say when to try again, as the
  // load shedding and the event stream's slots do.
  if (status === 503 && !reply.hasHeader('retry-after')) reply.header('retry-after', RETRY_AFTER_SECONDS);
  reply.removeHeader('etag');
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}

/**
 * Fastify's `frameworkErrors` option: errors raised while routing (an over-long path parameter, a URL that
 * does not decode) leave in the same shape as every other, without echoing the path. No hook has run yet.
 */
export function handleFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  reply.header('x-request-id', request.id);
  sendError(frameworkErrorFor(error), request, reply);
}

/** One error handler and one not-found handler for the whole app: every error leaves in the same shape. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => sendError(error, request, reply));
  // Node's own check (requireHostHeader) answers an empty 400; the server turns it off and this answers.
  app.addHook('onRequest', (request, reply, done) => {
    const error = missingHostError(request);
    if (error !== undefined) reply.header('x-request-id', request.id);
    done(error);
  });
  app.setNotFoundHandler((request, reply) => {
    // The path is not echoed: it is the client's own input, and may be long or hostile.
    const method = /^[A-Z]{1,16}$/.test(request.method) ? request.method : 'this method';
    return sendError(
      new RouteNotFoundError(`No route answers ${method} on this path. See /docs for the routes.`),
      request,
      reply,
    );
  });
}

class RouteNotFoundError extends CoachwireError {
  constructor(message: string) {
    super('NOT_FOUND', message);
  }
}
