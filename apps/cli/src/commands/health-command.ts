import type { Command } from 'commander';
import { type GlobalOptions, loadCliConfig } from '../cli-config.js';
import { CliError, type CliIo, EXIT_USAGE } from '../cli-io.js';

/** The API's local address for a configured host: a wildcard host is reached through loopback. */
export function localApiUrl(host: string, port: number, path = ''): string {
  const reachable = host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host;
  const shown = reachable.includes(':') ? `[${reachable}]` : reachable;
  return `http://${shown}:${port}${path}`;
}

/** `coachwire health [--url URL]`: exit 0 when /health reports healthy, 1 otherwise (for cron and containers). */
export function registerHealthCommand(program: Command, io: CliIo): void {
  program
    .command('health')
    .description(
      'Ask the API whether it is healthy: exit status 0 if so, 1 with the reason on stderr if not.',
    )
    .option('--url <url>', 'the health endpoint (default: /health on the configured API host and port)')
    .option('--timeout <seconds>', 'give up after this long', '5')
    .option(
      '--require <component>',
      'also require this component up, e.g. discord_bot (for the bot container)',
    )
    .action(async (options: { url?: string; timeout: string; require?: string }) => {
      const timeout = Number(options.timeout);
      if (!(timeout > 0))
        throw new CliError(
          `--timeout must be a positive number, got '${options.timeout}'.`,
          undefined,
          EXIT_USAGE,
        );
      let url = options.url;
      if (url === undefined) {
        const { api } = loadCliConfig(program.opts<GlobalOptions>(), io);
        url = localApiUrl(api.host, api.port, '/health');
      }
      if (!URL.canParse(url))
        throw new CliError(
          `--url '${url}' is not a URL.`,
          'e.g. --url http://127.0.0.1:5000/health.',
          EXIT_USAGE,
        );
      let response: Response;
      try {
        response = await fetch(url, {
          signal: AbortSignal.timeout(timeout * 1000),
          headers: { accept: 'application/json' },
        });
      } catch (error) {
        const reason =
          (error as Error).name === 'TimeoutError' ? `no answer within ${timeout}s` : causeOf(error);
        throw new CliError(`unhealthy: cannot reach ${url} (${reason}).`, 'start the API, or check --url.');
      }
      const body = (await response.json().catch(() => null)) as {
        status?: unknown;
        components?: Record<string, { status?: unknown }>;
      } | null;
      const status = typeof body?.status === 'string' ? body.status : `HTTP ${response.status}`;
      const parts = Object.entries(body?.components ?? {}).map(
        ([name, part]) => `${name} ${String(part.status)}`,
      );
      const summary = `${status}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`;
      if (!response.ok || (status !== 'healthy' && status !== 'ok'))
        throw new CliError(`unhealthy: ${url} answered ${summary}.`);
      if (options.require !== undefined) {
        const part = body?.components?.[options.require]?.status;
        if (part !== 'up' && part !== 'connected' && part !== 'ok')
          throw new CliError(
            `unhealthy: ${options.require} is ${String(part ?? 'not reported')} (${url}: ${summary}).`,
          );
      }
      io.stdout(`${url}: ${summary}\n`);
    });
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
