import type { CommandRegistry } from './command-registry.js';
import type { Json } from './entities.js';
import type { UploadedFile } from './http-io.js';
import type { InteractionStore } from './interactions.js';
import type { MessageStore } from './messages.js';
import type { World } from './world.js';

/** What a REST route handler receives. */
export interface RouteRequest {
  params: Record<string, string>;
  body: Json;
  files: UploadedFile[];
  query: Record<string, string>;
}

/** What a handler answers; no body means 204 No Content. */
export interface RouteResponse {
  status: number;
  body?: unknown;
}

export type RouteHandler = (request: RouteRequest) => RouteResponse;

/** A route template such as 'POST /channels/:channelId/messages' mapped to its handler. */
export type RouteTable = Record<string, RouteHandler>;

/** Everything the REST handlers read or change. */
export interface RouteDeps {
  world: World;
  messages: MessageStore;
  interactions: InteractionStore;
  commands: CommandRegistry;
  applicationId: string;
  gatewayUrl: () => string;
}

export const ok = (body: unknown): RouteResponse => ({ status: 200, body });
export const noContent: RouteResponse = { status: 204 };

/** Discord's JSON error body. */
export const discordError = (status: number, message: string, code: number): RouteResponse => ({
  status,
  body: { message, code },
});

interface CompiledRoute {
  template: string;
  method: string;
  pattern: RegExp;
  paramNames: string[];
  handler: RouteHandler;
  /** Interaction and webhook routes are authorised by the token in the URL, not the bot token. */
  needsBotToken: boolean;
}

/** Turns route templates into matchers; literal segments win over parameters by listing order. */
export function compileRoutes(table: RouteTable): CompiledRoute[] {
  return Object.entries(table).map(([template, handler]) => {
    const [method = '', path = ''] = template.split(' ');
    const paramNames: string[] = [];
    const source = path
      .split('/')
      .map((segment) => {
        if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        paramNames.push(segment.slice(1));
        return '([^/]+)';
      })
      .join('/');
    const needsBotToken = !path.startsWith('/webhooks/') && !path.startsWith('/interactions/');
    return { template, method, pattern: new RegExp(`^${source}$`), paramNames, handler, needsBotToken };
  });
}

/** Finds the route for a method and a decoded path. */
export function matchRoute(
  routes: CompiledRoute[],
  method: string,
  path: string,
): { route: CompiledRoute; params: Record<string, string> } | null {
  for (const route of routes) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(path);
    if (!match) continue;
    const params = Object.fromEntries(route.paramNames.map((name, index) => [name, match[index + 1] ?? '']));
    return { route, params };
  }
  return null;
}
