import { createRequire } from 'node:module';
import pino, { type Logger, type TransportTargetOptions } from 'pino';
import { REDACTED } from './redact.js';
import type { CoachwireConfig } from './schema.js';

export type { Logger } from 'pino';

/** What createLogger needs: the `logging` section, the process name, and how to treat stdout. */
export interface CreateLoggerOptions {
  config: CoachwireConfig['logging'];
  /** Process name on every line, e.g. `bot` or `api`. */
  name: string;
  /** `production` turns pretty stdout off even on a terminal. Defaults to process.env.NODE_ENV. */
  nodeEnv?: string;
  /** Also write to stdout (default true). */
  stdout?: boolean;
  /** Mark every line `mock: true` so mock-mode output can never pass for real data. */
  mock?: boolean;
}

/** Paths pino blanks out before a line is serialised, wherever a secret tends to travel. */
export const LOG_REDACT_PATHS = [
  'token',
  '*.token',
  'discord.token',
  'config.discord.token',
  'apiKey',
  '*.apiKey',
  'authorization',
  'headers.authorization',
  '*.headers.authorization',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'headers["x-api-key"]',
  'sha256',
  '*.sha256',
  'keys[*].sha256',
  'api.keys',
  'config.api.keys',
];

// Targets run in pino's worker thread, which resolves them by path; resolve from this package so it
// works from src/, dist/ and any app that depends on us.
const requireHere = createRequire(import.meta.url);

/** The pino logger every process uses: JSON lines to a rotating file and to stdout (pretty on a TTY). */
export function createLogger(options: CreateLoggerOptions): Logger {
  const { config } = options;
  const base = options.mock ? { name: options.name, mock: true } : { name: options.name };
  const settings = { level: config.level, base, redact: { paths: LOG_REDACT_PATHS, censor: REDACTED } };
  const targets = loggerTargets(options);
  if (config.level === 'silent' || targets.length === 0) return pino(settings, { write() {} });
  return pino(settings, pino.transport({ targets }));
}

function loggerTargets(options: CreateLoggerOptions): TransportTargetOptions[] {
  const { config } = options;
  const level = config.level;
  const targets: TransportTargetOptions[] = [];
  if (config.file !== '') {
    targets.push({
      target: requireHere.resolve('pino-roll'),
      level,
      options: {
        file: config.file,
        size: `${config.max_size_mb}m`,
        limit: { count: config.backup_count },
        mkdir: true,
      },
    });
  }
  if (options.stdout ?? true) {
    const nodeEnv = options.nodeEnv ?? process.env.NODE_ENV;
    const pretty = process.stdout.isTTY === true && nodeEnv !== 'production';
    targets.push(
      pretty
        ? { target: requireHere.resolve('pino-pretty'), level, options: { destination: 1, colorize: true } }
        : { target: 'pino/file', level, options: { destination: 1 } },
    );
  }
  return targets;
}

/** Resolves once every line logged so far has been written by its destinations. */
export function flushLogger(logger: Logger): Promise<void> {
  return new Promise((resolve, reject) => {
    logger.flush((error) => (error ? reject(error) : resolve()));
  });
}

/** Flushes and stops the logger's worker so the process can exit; log nothing afterwards. */
export async function closeLogger(logger: Logger): Promise<void> {
  await flushLogger(logger);
  const stream = (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] as
    | { end?: () => void; once?: (event: string, listener: () => void) => void; closed?: boolean }
    | undefined;
  if (!stream?.end || !stream.once) return;
  await new Promise<void>((resolve) => {
    stream.once!('close', resolve);
    stream.end!();
  });
}
