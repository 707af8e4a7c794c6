import type { Logger } from '@coachwire/config';
import type { FastifyInstance } from 'fastify';
import { unauthorized } from '../http/http-errors.js';

const UNMATCHED_ROUTE = '(unmatched)';

/**
 * Hooks every request passes through: echo the request id, identify the API key (before rate limiting,
 * which keys on it), refuse anonymous reads when configured, and log + count the request once at the end.
 */
export function registerRequestLifecycle(app: FastifyInstance, logger: Logger): void {
  const requireKeyForReads = app.coachwireConfig.api.require_key_for_reads;
  const { apiKeys, requestMetrics } = app;

  app.decorateRequest('credential', null as never);

  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    request.credential = apiKeys.identify(request.headers.authorization);
    // A browser sends a CORS preflight (OPTIONS) without credentials, whatever the request it asks about:
    // refusing it would refuse every cross-origin request, keyed or not. The request itself is checked.
    if (
      requireKeyForReads &&
      request.method !== 'OPTIONS' &&
      request.credential.kind !== 'key' &&
      request.routeOptions.config?.public !== true &&
      request.is404 !== true
    ) {
      done(
        unauthorized(
          request.credential.kind === 'none'
            ? 'This API requires a key: send Authorization: Bearer <key>.'
            : 'The API key is not valid.',
        ),
      );
      return;
    }
    done();
  });

  app.addHook('onResponse', (request, reply, done) => {
    // A 405 is a path served by no route for its method: counted with the unmatched, so a client trying
    // every method on every path adds no label per path.
    // routeOptions builds a new object on every read: read it once.
    const { url, config } = request.routeOptions;
    const unmatched = request.is404 || config?.methodNotAllowed === true;
    const route = unmatched ? UNMATCHED_ROUTE : (url ?? UNMATCHED_ROUTE);
    const durationMs = reply.elapsedTime;
    requestMetrics.observe(request.method, route, reply.statusCode, durationMs);
    if (logger.isLevelEnabled('info')) {
      request.log.info(
        {
          method: request.method,
          route,
          status: reply.statusCode,
          duration_ms: Math.round(durationMs * 100) / 100,
          ...(request.credential?.kind === 'key' ? { api_key: request.credential.name } : {}),
        },
        'request',
      );
    }
    done();
  });
}
