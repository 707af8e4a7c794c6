import type { FastifyInstance, onSendHookHandler } from 'fastify';
import { matchesIfNoneMatch, weakEtag } from '../http/etag.js';

/** Tags a 200 body with a weak ETag (unless the handler set one from its cache) and turns a match into 304. */
const tagAndRevalidate: onSendHookHandler = (request, reply, payload, done) => {
  if (reply.statusCode !== 200) {
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
};

/**
 * For routes marked `config.etag`: tag each 200 body with a weak ETag and answer a matching If-None-Match
 * with an empty 304, so pollers cost almost nothing. The hook is attached to those routes only, so other
 * routes do not pay for it. Must be registered before the routes.
 */
export function registerConditionalGet(app: FastifyInstance): void {
  app.addHook('onRoute', (routeOptions) => {
    if (routeOptions.config?.etag !== true) return;
    // First, as when it was an app-wide hook: before the HEAD route's own hook drops the body.
    const existing = routeOptions.onSend;
    routeOptions.onSend =
      existing === undefined ? [tagAndRevalidate] : [tagAndRevalidate, ...[existing].flat()];
  });
}
