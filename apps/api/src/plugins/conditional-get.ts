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
    // Fastify's own HEAD hook runs after this one and reads the payload: it must get a body, not null
    // (null crashed it). It then sets a length, which `forgetLengthOf304` removes again.
    done(null, request.method === 'HEAD' ? '' : null);
    return;
  }
  done(null, payload);
};

/** Last on HEAD routes: a 304 carries no Content-Length, exactly as the GET's 304 does. */
const forgetLengthOf304: onSendHookHandler = (_request, reply, payload, done) => {
  if (reply.statusCode === 304) reply.removeHeader('content-length');
  done(null, payload);
};

/**
 * For routes marked `config.etag`: tag each 200 body with a weak ETag and answer a matching If-None-Match
 * with an empty 304, so pollers cost almost nothing. The hook is attached to those routes only, so other
 * routes do not pay for it. Must be registered before the routes. Fastify derives each HEAD route from its
 * GET (with its own body-dropping hook last); every HEAD route also gets `forgetLengthOf304`, so a HEAD
 * answers the same status and headers as its GET, whichever route made the 304.
 */
export function registerConditionalGet(app: FastifyInstance): void {
  app.addHook('onRoute', (routeOptions) => {
    const tagged = routeOptions.config?.etag === true;
    const head = routeOptions.method === 'HEAD';
    if (!tagged && !head) return;
    const existing = routeOptions.onSend === undefined ? [] : [routeOptions.onSend].flat();
    // First, as when it was an app-wide hook: before the HEAD route's own hook drops the body.
    routeOptions.onSend = [
      ...(tagged ? [tagAndRevalidate] : []),
      ...existing,
      ...(head ? [forgetLengthOf304] : []),
    ];
  });
}
