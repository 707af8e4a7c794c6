import { accessSync, constants, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { CoachwireConfig } from '@coachwire/config';

/** Directories the bot writes to: the database's and the log file's. */
export function writableDirectories(config: CoachwireConfig): string[] {
  const dirs = [path.dirname(config.database.path)];
  if (config.logging.file !== '') dirs.push(path.dirname(config.logging.file));
  return [...new Set(dirs)];
}

/** Creates each directory if needed and checks it is writable; throws an Error naming the first one that is not. */
export function assertDirectoriesWritable(dirs: readonly string[]): void {
  for (const dir of dirs) {
    try {
      mkdirSync(dir, { recursive: true });
      accessSync(dir, constants.W_OK);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? 'not writable';
      throw new Error(`Directory ${dir} is not writable (${reason}).`, { cause: error });
    }
  }
}
