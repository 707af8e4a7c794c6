/// <reference path="./pino-roll.d.ts" />
import pinoRoll from 'pino-roll';

/** A log file rotated by size; usable at once although pino-roll opens the file asynchronously. */
export interface RollingFile {
  write(line: string): void;
  /** Resolves once every line written so far is in the file. */
  flush(): Promise<void>;
  /** Flushes and closes the file; later lines are dropped. */
  close(): Promise<void>;
}

type RollingStream = Awaited<ReturnType<typeof pinoRoll>>;

/** Options in the `logging` section's terms. */
export interface RollingFileOptions {
  file: string;
  maxSizeMb: number;
  backupCount: number;
}

/**
 * Opens a pino-roll file. Lines logged before the file is open wait in memory. Writes are synchronous
 * so a crash or `process.exit` never loses the lines logged just before it.
 */
export function openRollingFile(options: RollingFileOptions): RollingFile {
  let pending: string[] | undefined = [];
  let stream: RollingStream | undefined;
  let closed = false;
  const opening = pinoRoll({
    file: options.file,
    size: `${options.maxSizeMb}m`,
    limit: { count: options.backupCount },
    mkdir: true,
    sync: true,
  }).then(
    (opened) => {
      if (pending && pending.length > 0) opened.write(pending.join(''));
      pending = undefined;
      stream = opened;
      return opened;
    },
    (error: unknown) => {
      pending = undefined;
      // The logger cannot log its own failure; stderr is the one place an operator will look.
      process.stderr.write(`coachwire: cannot open log file ${options.file}: ${String(error)}\n`);
      return undefined;
    },
  );

  return {
    write(line) {
      if (closed) return;
      if (pending) pending.push(line);
      else stream?.write(line);
    },
    async flush() {
      await opening;
    },
    async close() {
      const opened = await opening;
      if (closed || !opened) {
        closed = true;
        return;
      }
      closed = true;
      await new Promise<void>((resolve) => {
        opened.once('close', () => resolve());
        opened.end();
      });
    },
  };
}
