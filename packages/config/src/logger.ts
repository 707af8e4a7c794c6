import pino, { type DestinationStream, type Logger, type StreamEntry } from 'pino';
import pretty from 'pino-pretty';
import { REDACTED } from './redact.js';
import { openRollingFile, type RollingFile } from './rolling-file.js';
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

// The file streams behind each logger (shared with its children), for flushLogger and closeLogger.
const filesByStream = new WeakMap<object, RollingFile>();

/**
 * The pino logger every process uses: JSON lines to a rotating file and to stdout (pretty on a TTY
 * outside production). Streams live in this thread, so flushLogger means "on disk", not "handed over".
 */
export function createLogger(options: CreateLoggerOptions): Logger {
  const { config } = options;
  const base = options.mock ? { name: options.name, mock: true } : { name: options.name };
  const settings = { level: config.level, base, redact: { paths: LOG_REDACT_PATHS, censor: REDACTED } };
  if (config.level === 'silent') return pino(settings, { write() {} });

  const level = config.level;
  const streams: StreamEntry[] = [];
  const file =
    config.file === ''
      ? undefined
      : openRollingFile({
          file: config.file,
          maxSizeMb: config.max_size_mb,
          backupCount: config.backup_count,
        });
  if (file) streams.push({ level, stream: { write: (line: string) => file.write(line) } });
  if (options.stdout ?? true)
    streams.push({ level, stream: stdoutStream(options.nodeEnv ?? process.env.NODE_ENV) });
  if (streams.length === 0) return pino(settings, { write() {} });

  const multistream = pino.multistream(streams);
  if (file) filesByStream.set(multistream, file);
  return pino(settings, multistream);
}

function stdoutStream(nodeEnv: string | undefined): DestinationStream {
  if (process.stdout.isTTY === true && nodeEnv !== 'production') {
    return pretty({ colorize: true, destination: 1, sync: true });
  }
  return pino.destination({ dest: 1, sync: true });
}

function fileOf(logger: Logger): RollingFile | undefined {
  const stream = (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym];
  return typeof stream === 'object' && stream !== null ? filesByStream.get(stream) : undefined;
}

/** Resolves once every line logged so far is in the log file. */
export async function flushLogger(logger: Logger): Promise<void> {
  await fileOf(logger)?.flush();
}

/** Flushes and closes the log file so the process can exit; lines logged afterwards are dropped. */
export async function closeLogger(logger: Logger): Promise<void> {
  await fileOf(logger)?.close();
}
