import type { CoachwireConfig } from '@coachwire/config';
import cors, { type FastifyCorsOptions, type OriginFunction } from '@fastify/cors';
import type { FastifyInstance } from 'fastify';

type ConstraintStrategy = Parameters<FastifyInstance['addConstraintStrategy']>[0];
type RouteStore = NonNullable<ReturnType<ReturnType<ConstraintStrategy['storage']>['get']>>;

const READ_METHODS = new Set(['GET', 'HEAD']);
// Joined once: the plugin would join arrays on every answer.
const ALL_METHODS = 'GET, HEAD, POST, PATCH, DELETE, OPTIONS';
// Idempotency-Key: every market write but a quote needs it, so without it a write origin could not write.
const ALLOWED_HEADERS =
  'Authorization, Content-Type, Idempotency-Key, If-None-Match, Last-Event-ID, X-Request-Id';
const EXPOSED_HEADERS = [
  'ETag',
  'X-Request-Id',
  'Retry-After',
  'Idempotent-Replayed',
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
].join(', ');

/** The router constraint that tells a write preflight (or a bare OPTIONS) from a read preflight. */
const PREFLIGHT_CONSTRAINT = 'corsPreflight';
const WRITE_PREFLIGHT = 'write';

function isWriteMethod(method: string): boolean {
  return !READ_METHODS.has(method.toUpperCase());
}

/**
 * Routes an OPTIONS request that does not ask for a read to the write-preflight route. Derived on every
 * request by the router, so it reads one header and allocates nothing.
 */
const preflightStrategy: ConstraintStrategy = {
  name: PREFLIGHT_CONSTRAINT,
  storage() {
    const stores = new Map<unknown, RouteStore>();
    return {
      get: (value) => stores.get(value) ?? null,
      set: (value, store) => void stores.set(value, store),
    };
  },
  deriveConstraint(request) {
    if (request.method !== 'OPTIONS') return undefined;
    const asked = request.headers['access-control-request-method'];
    return typeof asked === 'string' && !isWriteMethod(asked) ? undefined : WRITE_PREFLIGHT;
  },
  mustMatchWhenDerived: false,
};

/**
 * The plugin's origin option for `allowed` origins, as a function: the plugin then adds `Vary: Origin` to
 * every answer (the same URLs answer by origin, so shared caches must key on it), and a request without an
 * Origin header gets no CORS headers at all. Such a request is not a CORS request (a server, a script, the
 * dashboard's own same-origin page): the headers would be read by no one, and leaving out the allowed
 * origin and the 100-byte list of exposed headers saves 1-2 µs of CPU per request (legacy plan GET, 36-40 µs).
 */
function originOption(allowed: '*' | readonly string[]): OriginFunction {
  const resolved = allowed === '*' ? '*' : [...allowed];
  return (origin, callback) => callback(null, origin === undefined ? false : resolved);
}
/**
 * CORS by @fastify/cors: reads from `cors.origins` (default any), writes only from `cors.write_origins`
 * and never `*`. A write preflight gets no CORS headers at all unless its origin may write.
 *
 * The policy is static per route, so the plugin is registered with static options (the read policy) and
 * write routes override them with `config.cors`, the plugin's route-level options. Only a preflight's
 * answer depends on the request (the method it asks for): a router constraint sends write preflights to
 * a second OPTIONS route that carries the write policy. A delegator would give the same answers, but the
 * plugin re-normalizes a delegator's options on every request, which cost about 11 µs of CPU per request
 * (legacy plan GET 49 → 38 µs, bare Fastify 17 µs; `bench/api.bench.mjs`, `bench/components.bench.mjs`).
 */
export async function registerCors(app: FastifyInstance, config: CoachwireConfig): Promise<void> {
  const readOrigins = originOption(config.cors.origins.includes('*') ? '*' : config.cors.origins);
  const writeOrigins = config.cors.write_origins.filter((origin) => origin !== '*');
  // Route-level options merge over the registered ones, so the write policy only changes the origin.
  const writePolicy: FastifyCorsOptions = {
    origin: writeOrigins.length > 0 ? originOption(writeOrigins) : false,
  };

  app.addHook('onRoute', (route) => {
    const methods = [route.method].flat();
    if (!methods.some(isWriteMethod) || methods.includes('OPTIONS')) return;
    route.config = { ...route.config, cors: writePolicy };
  });
  await app.register(cors, {
    methods: ALL_METHODS,
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    origin: readOrigins,
  });
  app.addConstraintStrategy(preflightStrategy);
  app.options(
    '*',
    {
      constraints: { [PREFLIGHT_CONSTRAINT]: WRITE_PREFLIGHT },
      config: { cors: writePolicy },
      schema: { hide: true },
    },
    // The plugin's hook answers an allowed preflight itself; this runs only when the origin may not write,
    // and then answers as the plugin's own OPTIONS route does.
    (request, reply) => {
      if (request.corsPreflightEnabled) reply.send();
      else reply.callNotFound();
    },
  );
}
