import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { NotFoundError } from '@coachwire/core';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';

/** Where the dashboard is served. */
export const DASHBOARD_PATH = '/app/';

/** Vite names every asset by its content hash, so a year-long immutable cache is safe for them. */
const ASSET_CACHE = 'public, max-age=31536000, immutable';
/** The page itself names the current hashes, so browsers must revalidate it. */
const PAGE_CACHE = 'no-cache';
/**
 * The page runs only its own scripts: plan text is user input and is rendered as text, and this is the
 * second line of defence. Chart images may come from anywhere (Discord's CDN, the API's own archive).
 */
const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "connect-src 'self'",
  'img-src * data: blob:',
  // uPlot and the probability bars set element styles.
  "style-src 'self' 'unsafe-inline'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

export interface DashboardOptions {
  /** The built dashboard (apps/web/dist); default: COACHWIRE_WEB_DIR, else the @coachwire/web package's dist. */
  readonly dir?: string | null;
}

/** The built dashboard's folder, or null when @coachwire/web is not installed. */
export function defaultDashboardDir(env: NodeJS.ProcessEnv = process.env): string | null {
  const configured = env.COACHWIRE_WEB_DIR?.trim();
  if (configured) return configured;
  try {
    return join(dirname(createRequire(import.meta.url).resolve('@coachwire/web/package.json')), 'dist');
  } catch {
    return null;
  }
}

/**
 * True when an Accept header ranks HTML above JSON: a browser's navigation (`text/html,...,*\/*;q=0.8`),
 * not curl (`*\/*`) nor a program asking for JSON. Ties go to JSON, the answer programs have always had.
 */
export function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  let html = 0;
  let json = 0;
  let anyText = 0;
  let anyApplication = 0;
  let any = 0;
  for (const part of accept.split(',')) {
    const [rawType, ...params] = part.split(';');
    const type = rawType!.trim().toLowerCase();
    const qParam = params.map((param) => param.trim()).find((param) => param.toLowerCase().startsWith('q='));
    const parsed = qParam === undefined ? 1 : Number(qParam.slice(2));
    const q = Number.isFinite(parsed) ? Math.min(Math.max(parsed, 0), 1) : 0;
    if (type === 'text/html') html = Math.max(html, q);
    else if (type === 'application/json') json = Math.max(json, q);
    else if (type === 'text/*') anyText = Math.max(anyText, q);
    else if (type === 'application/*') anyApplication = Math.max(anyApplication, q);
    else if (type === '*/*') any = Math.max(any, q);
  }
  const htmlQ = html || anyText || any;
  const jsonQ = json || anyApplication || any;
  return htmlQ > jsonQ;
}

const redirectBrowsers: onRequestHookHandler = (request, reply, done) => {
  // Added to what CORS already varies on (Origin), never in its place.
  const vary = reply.getHeader('vary');
  reply.header('vary', vary === undefined || vary === '' ? 'Accept' : `${String(vary)}, Accept`);
  if (prefersHtml(request.headers.accept)) {
    reply.redirect(DASHBOARD_PATH, 302);
    return;
  }
  done();
};

/**
 * The web dashboard under `/app/` (static files, the page for every client-side route), and `GET /`
 * redirecting browsers there while programs keep its JSON. Call before the root route is registered.
 */
export async function registerDashboard(app: FastifyInstance, options: DashboardOptions = {}): Promise<void> {
  // Only the root route pays for the Accept check.
  app.addHook('onRoute', (route) => {
    // GET and the HEAD route Fastify derives from it answer alike.
    const methods = [route.method].flat();
    if (route.url !== '/' || !methods.some((method) => method === 'GET' || method === 'HEAD')) return;
    const existing = route.onRequest;
    route.onRequest = existing === undefined ? [redirectBrowsers] : [redirectBrowsers, ...[existing].flat()];
  });

  const dir = options.dir === undefined ? defaultDashboardDir() : options.dir;
  const built = dir !== null && existsSync(join(dir, 'index.html'));
  await app.register(async (scope) => {
    // The page and its assets hold no data; with api.require_key_for_reads its API calls still need a key.
    scope.addHook('onRoute', (route) => {
      route.config = { ...route.config, public: true };
    });
    if (!built) {
      app.log.warn(
        { dir },
        'the web dashboard is not built; /app/ answers 404 (run `pnpm --filter @coachwire/web build`)',
      );
      const notBuilt = async () => {
        throw new NotFoundError(
          'The web dashboard is not built. Fix: run `pnpm --filter @coachwire/web build`, then restart the API.',
        );
      };
      scope.get('/app', { schema: { hide: true } }, notBuilt);
      scope.get('/app/*', { schema: { hide: true } }, notBuilt);
      return;
    }
    await scope.register(fastifyStatic, {
      root: dir,
      prefix: DASHBOARD_PATH,
      // One route per built file, found at start-up; everything else falls through to the page below.
      wildcard: false,
      index: false,
      cacheControl: false,
      preCompressed: true,
      setHeaders: (reply: FastifyReply, path: string) => {
        reply.header('cache-control', /[\\/]assets[\\/]/.test(path) ? ASSET_CACHE : PAGE_CACHE);
        if (/\.html(\.gz|\.br)?$/.test(path)) reply.header('content-security-policy', PAGE_CSP);
      },
    });
    // Client-side routes (/app/markets/7, ...) all load the same page; a missing asset stays a 404.
    const page = (request: FastifyRequest, reply: FastifyReply) => {
      if (request.url.startsWith(`${DASHBOARD_PATH}assets/`)) {
        throw new NotFoundError('No such dashboard asset; reload the page to get the current ones.');
      }
      return reply.sendFile('index.html');
    };
    // `/app/*` does not match `/app/` itself: the router ignores trailing slashes, so that is `/app`.
    scope.get('/app', { schema: { hide: true } }, page);
    scope.get('/app/*', { schema: { hide: true } }, page);
  });
}
