import { localApiUrl } from '@coachwire/config';
import type { Command } from 'commander';
import { type GlobalOptions, loadCliConfig } from '../cli-config.js';
import { CliError, type CliIo, EXIT_USAGE, timeoutOption } from '../cli-io.js';

const EXAMPLE_BASE = 'http://127.0.0.1:5000';
const BAD_URL_FIX = `pass the API's base URL with its scheme, as in COACHWIRE_API_URL: --url ${EXAMPLE_BASE}.`;
/** AbortSignal.timeout's (and setTimeout's) largest delay. */
const MAX_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/** A path that already names one of the API's health endpoints: `/health`, `/health/live`, `/health/ready`. */
const HEALTH_PATH = /(^|\/)health(\/live|\/ready)?$/;

/**
 * The health endpoint for `--url`: the API's base URL (`http://host:port`, with or without a trailing slash
 * or a path prefix such as `http://host/coachwire`) gets `/health` appended; a URL that already ends in
 * `/health`, `/health/live` or `/health/ready` is used as given, so older scripts keep working.
 */
export function healthUrlFor(given: string): string {
  const trimmed = given.trim();
  if (!URL.canParse(trimmed)) throw new CliError(`--url '${given}' is not a URL.`, BAD_URL_FIX, EXIT_USAGE);
  const url = new URL(trimmed);
  if (url.username !== '' || url.password !== '') {
    // fetch refuses such a URL, and its error would repeat the password; the API takes keys, not passwords.
    const bare = `${url.protocol}//${url.host}`;
    throw new CliError(
      `--url must not carry a user name or password (given for ${bare}).`,
      `drop the user:password@ part, e.g. --url ${bare}; for an API that wants a key, set COACHWIRE_API_KEY.`,
      EXIT_USAGE,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new CliError(`--url '${given}' is not an http:// or https:// URL.`, BAD_URL_FIX, EXIT_USAGE);
  const path = url.pathname.replace(/\/+$/, '');
  if (HEALTH_PATH.test(path)) {
    url.pathname = path;
    return url.href;
  }
  url.pathname = `${path}/health`;
  url.search = '';
  url.hash = '';
  return url.href;
}

interface HealthBody {
  status?: unknown;
  components?: Record<string, { status?: unknown; state?: unknown; last_error?: unknown } | undefined>;
}

/** `coachwire health [--url URL]`: exit 0 when /health reports healthy, non-zero with a Fix line otherwise. */
export function registerHealthCommand(program: Command, io: CliIo): void {
  program
    .command('health')
    .description(
      'Ask the API whether it is healthy: exit status 0 if so; 1 (2 for bad options) with the reason and a Fix line on stderr if not.',
    )
    .option(
      '--url <url>',
      `the API's base URL, as in COACHWIRE_API_URL, e.g. ${EXAMPLE_BASE} (/health is added; a URL ending in /health, /health/live or /health/ready is used as is). Default: the configured API host and port`,
    )
    .option('--timeout <seconds>', 'give up after this long', '5')
    .option(
      '--require <component>',
      'also require this component up, e.g. discord_bot (for the bot container); repeat it for several',
      // Every one given counts: commander would keep only the last, and pass a check a first one fails.
      (component: string, earlier: string[] | undefined) => [...(earlier ?? []), component],
    )
    .action(async (options: { url?: string; timeout: string; require?: string[] }) => {
      const timeout = timeoutOption(options.timeout, MAX_TIMEOUT_SECONDS, 5);
      const fromOption = options.url !== undefined;
      let url: string;
      if (options.url !== undefined) {
        url = healthUrlFor(options.url);
      } else {
        const { api } = loadCliConfig(program.opts<GlobalOptions>(), io);
        url = localApiUrl(api.host, api.port, '/health');
      }
      /** Where the address came from, for the Fix lines: --url, or the configuration. */
      const pointAt = fromOption
        ? `check that --url is the Coachwire API's base URL (e.g. --url ${EXAMPLE_BASE})`
        : `check that API_HOST/API_PORT (api.host/api.port) are where the API listens, or pass its base URL with --url ${EXAMPLE_BASE}`;

      // With api.require_key_for_reads, /health wants a key too: the one clients use, never printed.
      const key = io.env.COACHWIRE_API_KEY?.trim() || undefined;
      const headers: Record<string, string> = { accept: 'application/json' };
      if (key !== undefined) headers.authorization = `Bearer ${key}`;

      let response: Response;
      let text: string;
      try {
        // One deadline for connecting, the answer's head and its body, so no path can hang.
        const signal = AbortSignal.timeout(timeout * 1000);
        response = await fetch(url, { signal, headers });
        text = await response.text();
      } catch (error) {
        if ((error as Error).name === 'TimeoutError')
          throw new CliError(
            `unhealthy: no answer from ${url} within ${timeout}s.`,
            `check that the API is running and not stuck (its log says what it is doing), or allow longer with --timeout <seconds>.`,
          );
        const reason = causeOf(error);
        const unknownHost = reason === 'ENOTFOUND' || reason === 'EAI_AGAIN';
        throw new CliError(
          `unhealthy: cannot reach ${url} (${reason}).`,
          unknownHost
            ? `the host name '${new URL(url).hostname}' does not resolve: ${pointAt}.`
            : `start the API (\`pnpm start\`, or its Compose service or systemd unit), or ${pointAt}.`,
        );
      }

      const body = parseHealth(text);
      if (body === null) {
        const what = `HTTP ${response.status} (${response.headers.get('content-type') ?? 'no content type'})`;
        if (response.status === 401 || response.status === 403)
          throw new CliError(
            key === undefined
              ? `unhealthy: ${url} answered ${what}: this API requires a key for /health (api.require_key_for_reads).`
              : `unhealthy: ${url} answered ${what}: the API refused the key in COACHWIRE_API_KEY.`,
            key === undefined
              ? "set COACHWIRE_API_KEY to one of the API's keys (sent as a bearer token), or check the keyless readiness probe instead: --url <API base URL>/health/ready."
              : 'set COACHWIRE_API_KEY to a key whose SHA-256 the API holds (API_KEY_SHA256 or api.keys), or check the keyless readiness probe instead: --url <API base URL>/health/ready.',
          );
        if (response.status === 404)
          throw new CliError(`unhealthy: ${url} answered ${what}: no health endpoint there.`, `${pointAt}.`);
        throw new CliError(
          `unhealthy: ${url} answered ${what}, not a Coachwire health report.`,
          response.ok
            ? `something other than the Coachwire API answers there: ${pointAt}.`
            : `${pointAt}; the API's log (or that of a proxy in front of it) says why it answered HTTP ${response.status}.`,
        );
      }

      const status = String(body.status);
      const components = Object.entries(body.components ?? {});
      const parts = components.map(([name, part]) => `${name} ${String(part?.status)}`);
      const summary = `${status}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`;
      if (!response.ok || (status !== 'healthy' && status !== 'ok')) {
        const databaseDown = body.components?.database?.status === 'down' || status === 'unavailable';
        throw new CliError(
          `unhealthy: ${url} answered HTTP ${response.status}: ${summary}.`,
          databaseDown
            ? "the API cannot use its database: the API's log says why; check DATABASE_PATH (or DATABASE_URL and that its PostgreSQL server runs), then `coachwire db check`."
            : "see the failing checks above; the API's log says why.",
        );
      }
      for (const required of options.require ?? []) {
        const component = body.components?.[required];
        const part = component?.status;
        if (part !== 'up' && part !== 'connected' && part !== 'ok') {
          // A name outside the components the API lists is a mistyped option (2); no list at all, a wrong URL (1).
          if (component === undefined)
            throw new CliError(
              `unhealthy: ${required} is not reported (${url}: ${summary}).`,
              components.length > 0
                ? `--require takes a component ${url} reports: ${components.map(([name]) => name).join(', ')}.`
                : `${url} reports no components: ${pointAt}, whose /health lists them.`,
              components.length > 0 ? EXIT_USAGE : undefined,
            );
          const detail = [
            typeof component.state === 'string' ? `state ${component.state}` : undefined,
            typeof component.last_error === 'string' ? `last error: ${component.last_error}` : undefined,
          ].filter((line) => line !== undefined);
          throw new CliError(
            `unhealthy: ${required} is ${String(part)}${detail.length > 0 ? `, ${detail.join(', ')}` : ''} (${url}: ${summary}).`,
            required === 'discord_bot'
              ? "start the bot (`pnpm start` runs it with the API; in Compose, the bot service) and see the bot's log; a stale heartbeat means it stopped or cannot reach Discord."
              : `see the API's log for why ${required} is ${String(part)}.`,
          );
        }
      }
      io.stdout(`${url}: ${summary}\n`);
    });
}

/**
 * Control characters (C0, DEL, C1) in a string the server sent, written as \\uXXXX: they are printed to a
 * terminal, where an escape sequence in a bot's `last_error` would recolour or rewrite the screen.
 */
function printable(_key: string, value: unknown): unknown {
  return typeof value === 'string'
    ? value.replace(/\p{Cc}/gu, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
    : value;
}

/** The answer as a health report (an object with a string `status`), or null when it is anything else. */
function parseHealth(text: string): HealthBody | null {
  try {
    const body = JSON.parse(text, printable) as unknown;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
    return typeof (body as HealthBody).status === 'string' ? (body as HealthBody) : null;
  } catch {
    return null;
  }
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
