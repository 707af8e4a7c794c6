import { isUtf8 } from 'node:buffer';
import { ValidationError } from '@coachwire/core';
import type { FastifyInstance } from 'fastify';
import { compressedBodyEncoding } from './error-handling.js';

/**
 * JSON bodies are read as bytes and refused when they are not UTF-8, then parsed by Fastify's own JSON parser
 * (with its prototype-poisoning checks). Read as text, a body in another encoding (a coach agent sending
 * Latin-1 "café") had each bad byte replaced by U+FFFD and was stored that way without a word.
 */
export function registerJsonBody(app: FastifyInstance): void {
  // No route takes text: without Fastify's text/plain parser, a text body (what fetch sends for a string body
  // without a Content-Type) gets the same 415 as every other type that is not JSON, not a 400.
  app.removeContentTypeParser('text/plain');
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    // A compressed body is not UTF-8 either: Fastify's parser fails on it and the error handler says why (415).
    if (!isUtf8(bytes) && compressedBodyEncoding(request) === undefined) {
      done(
        new ValidationError(
          'The body is not valid UTF-8: send the JSON encoded as UTF-8 (other encodings would lose characters).',
        ),
        undefined,
      );
      return;
    }
    parseJson(request, bytes.toString('utf8'), done);
  });
}
