import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallRecorder } from './call-recorder.js';
import { channelRoutes } from './channel-routes.js';
import { type Json, UnknownEntityError } from './entities.js';
import type { FailureInjector } from './failure-injector.js';
import { type ParsedBody, readBody, sendJson } from './http-io.js';
import { interactionRoutes } from './interaction-routes.js';
import type { RateLimitInjector } from './rate-limit-injector.js';
import { compileRoutes, matchRoute, type RouteDeps, type RouteResponse } from './routes.js';

/** discord.js builds URLs as `${rest.api}/v10/...`; the emulator's `rest.api` is http://host:port/api. */
const API_PREFIX = /^\/api\/v\d+/;
const CDN_ATTACHMENT = /^\/cdn\/attachments\/([^/]+)\/([^/]+)\/[^/]+$/;

export interface RestServerOptions {
  deps: RouteDeps;
  botToken: string;
  recorder: CallRecorder;
  rateLimits: RateLimitInjector;
  failures: FailureInjector;
}

/** Serves the REST API (recording every call) and the attachment CDN. */
export class RestServer {
  private readonly routes;

  constructor(private readonly options: RestServerOptions) {
    this.routes = compileRoutes({ ...channelRoutes(options.deps), ...interactionRoutes(options.deps) });
  }

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://emulator');
    const cdnMatch = CDN_ATTACHMENT.exec(url.pathname);
    if (request.method === 'GET' && cdnMatch) {
      const file = this.options.deps.world.attachments.get(`${cdnMatch[1]}/${cdnMatch[2]}`);
      if (!file) return sendJson(response, 404, { message: '404: Not Found', code: 0 });
      response
        .writeHead(200, { 'content-type': file.contentType, 'content-length': file.data.length })
        .end(file.data);
      return;
    }
    const at = Number(process.hrtime.bigint()) / 1e6;
    const method = request.method ?? 'GET';
    // '@original' arrives percent-encoded; decode each segment so routes read like Discord's docs.
    const path = url.pathname.replace(API_PREFIX, '').split('/').map(decodeURIComponent).join('/');
    const query = Object.fromEntries(url.searchParams);
    let parsed: ParsedBody;
    try {
      parsed = await readBody(request);
    } catch {
      return this.finish(
        response,
        { method, path, route: 'UNKNOWN', query, at, parsed: emptyBody() },
        {
          status: 400,
          body: { message: '400: Bad Request', code: 50109 },
        },
      );
    }
    const matched = API_PREFIX.test(url.pathname) ? matchRoute(this.routes, method, path) : null;
    const route = matched?.route.template ?? 'UNKNOWN';
    const call = { method, path, route, query, at, parsed };
    if (!matched)
      return this.finish(response, call, { status: 404, body: { message: '404: Not Found', code: 0 } });
    if (matched.route.needsBotToken && request.headers.authorization !== `Bot ${this.options.botToken}`) {
      return this.finish(response, call, { status: 401, body: { message: '401: Unauthorized', code: 0 } });
    }
    const limited = this.options.rateLimits.take(route);
    if (limited) return this.finish(response, call, { status: 429, body: limited.body }, limited.headers);
    const failed = this.options.failures.take(route);
    if (failed) return this.finish(response, call, failed);
    let result: RouteResponse;
    try {
      result = matched.route.handler({
        params: matched.params,
        body: (parsed.json ?? {}) as Json,
        files: parsed.files,
        query,
      });
    } catch (error) {
      result =
        error instanceof UnknownEntityError
          ? { status: 404, body: { message: `Unknown ${capitalize(error.entity)}`, code: error.discordCode } }
          : { status: 500, body: { message: `Emulator error: ${(error as Error).message}`, code: 0 } };
    }
    this.finish(response, call, result);
  }

  // The call is recorded before the response is written, so a test awaiting discord.js sees it.
  private finish(
    response: ServerResponse,
    call: {
      method: string;
      path: string;
      route: string;
      query: Record<string, string>;
      at: number;
      parsed: ParsedBody;
    },
    result: RouteResponse,
    headers: Record<string, string> = {},
  ): void {
    this.options.recorder.record({
      method: call.method,
      path: call.path,
      route: call.route,
      body: call.parsed.json,
      files: call.parsed.files.map((file) => ({
        filename: file.filename,
        contentType: file.contentType,
        size: file.data.length,
      })),
      query: call.query,
      status: result.status,
      at: call.at,
    });
    sendJson(response, result.status, result.body, headers);
  }
}

function emptyBody(): ParsedBody {
  return { json: undefined, files: [] };
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
