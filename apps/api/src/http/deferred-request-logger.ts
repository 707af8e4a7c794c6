import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify';
import type { Bindings, ChildLoggerOptions } from 'pino';

type LevelName = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
type LoggerWithLevelCheck = FastifyBaseLogger & { isLevelEnabled?(level: string): boolean };

/**
 * A request's logger that creates the real child logger (bound to the request id) only when a line is
 * actually written. Fastify builds a child per request; with pino and redaction that costs more than many
 * a whole cached GET, and at the usual `warn` level most requests never log a line.
 */
class DeferredRequestLogger {
  private created: FastifyBaseLogger | undefined;

  constructor(
    private readonly parent: LoggerWithLevelCheck,
    private readonly childBindings: Bindings,
  ) {}

  /** The real child, created on first use; every line written goes through it, so it carries the id. */
  private get real(): FastifyBaseLogger {
    if (this.created === undefined) this.created = this.parent.child(this.childBindings);
    return this.created;
  }

  private write(level: LevelName, args: unknown[]): void {
    // Before the child exists its level is the parent's: a disabled level needs no child at all.
    if (this.created === undefined && this.parent.isLevelEnabled?.(level) === false) return;
    (this.real[level] as (...line: unknown[]) => void)(...args);
  }

  fatal(...args: unknown[]): void {
    this.write('fatal', args);
  }
  error(...args: unknown[]): void {
    this.write('error', args);
  }
  warn(...args: unknown[]): void {
    this.write('warn', args);
  }
  info(...args: unknown[]): void {
    this.write('info', args);
  }
  debug(...args: unknown[]): void {
    this.write('debug', args);
  }
  trace(...args: unknown[]): void {
    this.write('trace', args);
  }
  silent(): void {}

  get level(): string {
    return this.created?.level ?? this.parent.level;
  }
  set level(level: string) {
    this.real.level = level;
  }

  isLevelEnabled(level: string): boolean {
    const logger = (this.created ?? this.parent) as LoggerWithLevelCheck;
    return logger.isLevelEnabled?.(level) ?? true;
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.real.child(bindings, options);
  }

  bindings(): Bindings {
    return (this.real as FastifyBaseLogger & { bindings(): Bindings }).bindings();
  }
}

/**
 * Fastify's childLoggerFactory with deferred children. A route with its own log level or serializers
 * gets a real child at once, since those options change what the child writes.
 */
export const deferredChildLoggerFactory: NonNullable<FastifyServerOptions['childLoggerFactory']> = (
  logger,
  bindings,
  options,
) => {
  if (options.level !== undefined || options.serializers !== undefined)
    return logger.child(bindings, options);
  // The class implements every member of FastifyBaseLogger; its log methods take pino's arguments as is.
  return new DeferredRequestLogger(logger, bindings) as unknown as FastifyBaseLogger;
};
