import path from 'node:path';
import type { CoachwireConfig } from '@coachwire/config';
import { ensureWritableDirectory } from '@coachwire/storage';

/** A directory the bot writes to, what it holds, and what the operator can do when it is not writable. */
export interface WritableDirectory {
  readonly dir: string;
  readonly purpose: 'database' | 'log';
  readonly fix: string;
}

/** Directories the bot writes to: the database's and the log file's (same wording as the API's checks). */
export function writableDirectories(config: CoachwireConfig): WritableDirectory[] {
  const dirs: WritableDirectory[] = [
    {
      dir: path.dirname(config.database.path),
      purpose: 'database',
      fix: 'Create it and give this user write access, or point database.path (env DATABASE_PATH) elsewhere.',
    },
  ];
  if (config.logging.file !== '')
    dirs.push({
      dir: path.dirname(config.logging.file),
      purpose: 'log',
      fix: 'Create it and give this user write access, or set logging.file (env LOG_FILE) elsewhere or to "".',
    });
  return dirs;
}

/**
 * Creates each directory if needed and proves it is writable; throws an Error naming the first one that is
 * not, whose message ends with a `Fix:` line.
 */
export function assertDirectoriesWritable(dirs: readonly WritableDirectory[]): void {
  for (const { dir, purpose, fix } of dirs) {
    try {
      ensureWritableDirectory(dir);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? 'not writable';
      throw new Error(`Cannot write to the ${purpose} directory ${dir} (${reason}).\nFix: ${fix}`, {
        cause: error,
      });
    }
  }
}
