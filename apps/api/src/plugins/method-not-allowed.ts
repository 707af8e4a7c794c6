import type { FastifyContextConfig, FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { methodNotAllowed } from '../http/http-errors.js';

/** Where Allow lists a method: the usual order, then any other alphabetically. */
const ALLOW_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * OPTIONS is answered only as a CORS preflight, on every path known or not (plugins/cors.ts); it is part of
 * the CORS protocol rather than a method of any resource, so it is in no Allow list and gets no 405 route.
 */
const CORS_ONLY_METHOD = 'OPTIONS';

/** The routes registered on one path, spelled any way the router treats alike. */
interface KnownPath {
  /** The path as first registered, e.g. `/api/v1/markets/:id`. */
  readonly url: string;
  /**
   * Its routes' options as the onRoute hooks see them: hooks registered later (CORS, the dashboard's
   * `public`) still change their config, so it is read only once every route is in.
   */
  readonly routes: RouteOptions[];
}

/** The paths the app serves, recorded as routes are registered. */
export interface RoutePaths {
  readonly byPath: Map<string, KnownPath>;
}

/**
 * The router's own notion of "the same path": a trailing slash does not count (`ignoreTrailingSlash`) and
 * neither does a parameter's name, since `/:id` and `/:marketId` match the same URLs.
 */
function pathKey(url: string): string {
  const bare = url.length > 1 && url.endsWith('/') ? url.slice(0, -1) : url;
  return bare.replace(/:[A-Za-z0-9_]+/g, ':');
}

function allowOrder(method: string): number {
  const index = ALLOW_ORDER.indexOf(method);
  return index === -1 ? ALLOW_ORDER.length : index;
}

/** The Allow header: each method once, in a stable order. */
export function allowHeader(methods: Iterable<string>): string {
  return [...new Set(methods)].sort((a, b) => allowOrder(a) - allowOrder(b) || a.localeCompare(b)).join(', ');
}

/**
 * Records the path and methods of every route registered from now on. Call before the first route (the
 * onRoute hook sees only later ones), then `registerMethodNotAllowed` after the last.
 */
export function trackRoutePaths(app: FastifyInstance): RoutePaths {
  const byPath = new Map<string, KnownPath>();
  app.addHook('onRoute', (route: RouteOptions) => {
    if (route.config?.methodNotAllowed === true) return;
    const key = pathKey(route.url);
    const known = byPath.get(key);
    if (known === undefined) byPath.set(key, { url: route.url, routes: [route] });
    else known.routes.push(route);
  });
  return { byPath };
}

/** The methods a path's routes answer (HEAD with GET, as Fastify adds it), and how its errors look. */
function servedBy(known: KnownPath): { methods: Set<string>; legacyErrors: boolean; allPublic: boolean } {
  const methods = new Set<string>();
  for (const route of known.routes) {
    for (const method of [route.method].flat()) if (method !== CORS_ONLY_METHOD) methods.add(method);
    if ([route.method].flat().includes('GET') && route.exposeHeadRoute !== false) methods.add('HEAD');
  }
  // Only the OPTIONS routes: with no method of its own, the path is not one the API serves.
  const served = known.routes.filter((route) => ![route.method].flat().every((m) => m === CORS_ONLY_METHOD));
  return {
    methods,
    // The whole `/api/coach-plans` family answers in the legacy shape.
    legacyErrors: served.some((route) => route.config?.legacyErrors === true),
    // The probes and the dashboard are readable without a key; a path is public only if all of it is.
    allPublic: served.every((route) => route.config?.public === true),
  };
}

/**
 * Gives every served path a route for each method it does not serve, answering 405 with `Allow` (RFC 9110
 * §15.5.6) in the shape of the path's other errors, where the router would otherwise fall through to 404.
 * The answers are worked out once, here, and the router does the matching: unmatched paths cost what they
 * did and keep their 404.
 *
 * A 405 route runs the hooks every route runs (CORS, the key check, rate limiting, metrics) and refuses
 * before any body is read. It is as public as the path's routes: when reads need a key,
 * an anonymous client gets the 401 the path's own methods give, not the list of methods.
 */
export function registerMethodNotAllowed(app: FastifyInstance, paths: RoutePaths): void {
  const methods = app.supportedMethods.filter((method) => method !== CORS_ONLY_METHOD);
  const additions: { url: string; refused: string[]; allow: string; config: FastifyContextConfig }[] = [];
  // Every addition is worked out before the first is made, so each check sees only the app's own routes.
  for (const known of paths.byPath.values()) {
    const { methods: own, legacyErrors, allPublic } = servedBy(known);
    if (own.size === 0) continue;
    // A method may also reach this path through another route (a parameter, a wildcard): it is served.
    const served = methods.filter((method) => own.has(method) || app.findRoute({ method, url: known.url }));
    // HEAD is never added alone: Fastify adds it with GET.
    const missing = methods.filter((method) => method !== 'HEAD' && !served.includes(method));
    const allow = allowHeader(served);
    const config: FastifyContextConfig = {
      methodNotAllowed: true,
      ...(legacyErrors ? { legacyErrors: true } : {}),
      ...(allPublic ? { public: true } : {}),
    };
    // Reads and writes apart: the CORS plugin gives a route with any write method the write origins' policy.
    for (const refused of [missing.filter((m) => m === 'GET'), missing.filter((m) => m !== 'GET')])
      if (refused.length > 0) additions.push({ url: known.url, refused, allow, config });
  }
  for (const { url, refused, allow, config } of additions) {
    const refuse = (request: FastifyRequest) => methodNotAllowed(request.method, allow);
    app.route({
      method: refused,
      url,
      schema: { hide: true },
      config,
      // After every onRequest hook (the key check; rate limiting, which appends its own to each route's),
      // before any body is read.
      preParsing: (request, _reply, _payload, done) => done(refuse(request)),
      // Never reached (preParsing refuses first); here because every route needs a handler.
      handler: async (request) => {
        throw refuse(request);
      },
    });
  }
}
