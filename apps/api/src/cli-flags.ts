import { ArgumentError, parseProcessArgs } from '@coachwire/config';

/** What `coachwire-api` accepts on its command line; each flag overrides the configuration. */
export interface ApiFlags {
  readonly configPath?: string;
  readonly port?: number;
  readonly host?: string;
  readonly help: boolean;
}

export const USAGE = `Usage: node dist/main.js [--config PATH] [--port N] [--host ADDRESS]

  --config PATH    YAML configuration file (also COACHWIRE_CONFIG)
  --port N         Port to listen on (overrides api.port / API_PORT)
  --host ADDRESS   Address to listen on (overrides api.host / API_HOST)
  --help           Show this text`;

/** Parses the flags (node:util parseArgs, unknown flags refused), or throws an ArgumentError naming the wrong one. */
export function parseApiFlags(argv: readonly string[]): ApiFlags {
  const values = parseProcessArgs(argv, {
    config: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port < 1 || port > 65535) {
      throw new ArgumentError(
        `--port must be an integer from 1 to 65535, got '${values.port}'.`,
        'Give a free port, e.g. --port 5000.',
      );
    }
  }
  return {
    help: values.help ?? false,
    ...(values.config !== undefined ? { configPath: values.config } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(values.host !== undefined ? { host: values.host } : {}),
  };
}
