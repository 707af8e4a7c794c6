import type { FastifyInstance } from 'fastify';
import { matchesIfNoneMatch, weakEtag } from '../http/etag.js';

/**
 * For routes marked `config.etag`: tag each 200 body with a weak ETag (unless the handler already set
 * one from its cache) and answer a matching If-None-Match with an empty 304, so pollers cost almost nothing.
 */
export function registerConditionalGet(app: FastifyInstance): void {
  app.addHook('onSend', (request, reply, payload, done) => {
    if (request.routeOptions.config?.etag !== true || reply.statusCode !== 200) {
      done(null, payload);
      return;
    }
    let etag = reply.getHeader('etag') as string | undefined;
    if (etag === undefined) {
      if (typeof payload !== 'string') {
        done(null, payload);
        return;
      }
      etag = weakEtag(payload);
      reply.header('etag', etag);
    }
    if (matchesIfNoneMatch(request.headers['if-none-match'], etag)) {
      reply.code(304);
      reply.removeHeader('content-type');
      reply.removeHeader('content-length');
      done(null, null);
      return;
    }
    done(null, payload);
  });
}
