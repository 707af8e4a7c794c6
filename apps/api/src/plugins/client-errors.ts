import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { requestIdFor } from '../http/request-id.js';

/** What Node's HTTP parser refused, as our status, code and a message that echoes nothing of the input. */
function describeParserError(error: NodeJS.ErrnoException): {
  status: number;
  code: string;
  message: string;
} {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        code: 'HEADERS_TOO_LARGE',
        message:
          'The request line and headers are larger than the server accepts (16 KiB). Send fewer or shorter headers.',
      };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return {
        status: 413,
        code: 'PAYLOAD_TOO_LARGE',
        message: 'The chunk extensions of the body are too large.',
      };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        status: 408,
        code: 'REQUEST_TIMEOUT',
        message: 'The request did not arrive in time. Send it again, whole.',
      };
    default:
      return {
        status: 400,
        code: 'BAD_REQUEST',
        message: `The request is not valid HTTP/1.1 (${/^HPE_[A-Z_]+$/.test(error.code ?? '') ? error.code : 'refused by the parser'}).`,
      };
  }
}

/**
 * Answers what Node's HTTP parser refused (malformed request line or headers, oversize headers, a request
 * that never finished) with the API's error shape, written straight to the socket because no request
 * object exists yet. The request id is a fresh one: the headers could not be read. Nothing is written when
 * the client is gone or a response on this connection has already begun; those connections are just closed.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && inFlight?.headersSent !== true) {
    const { status, code, message } = describeParserError(error);
    const requestId = requestIdFor({ headers: {} } as never);
    const body = JSON.stringify({ error: STATUS_CODES[status], message, code, request_id: requestId });
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/** Fastify's own routing errors, in the API's shape; the offending path is never echoed back. */
export function frameworkErrorFor(error: FastifyError): Error & { statusCode: number; code: string } {
  const make = (statusCode: number, code: string, message: string) =>
    Object.assign(new Error(message), { statusCode, code });
  switch (error.code) {
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return make(
        414,
        'URI_TOO_LONG',
        'A path segment is longer than 200 characters; no resource has such an id.',
      );
    case 'FST_ERR_BAD_URL':
      return make(400, 'BAD_REQUEST', 'The URL is not valid: a %-escape in its path does not decode.');
    default:
      return make(500, 'INTERNAL', 'Routing failed.');
  }
}

/** HTTP/1.1 requires a Host header; Node's own refusal of one without it has no body, so the API answers it. */
export function missingHostError(request: FastifyRequest): (Error & { statusCode: number }) | undefined {
  const raw = request.raw;
  if (raw.httpVersion !== '1.1' || raw.headers.host !== undefined) return undefined;
  return Object.assign(new Error('An HTTP/1.1 request must have a Host header.'), { statusCode: 400 });
}

export type FrameworkErrorHandler = (
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
) => void;
